<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Kakikomi</source>
        <translation>Kakikomi について</translation>
    </message>
    <message>
        <source>&lt;p&gt;Read Japanese and English posts with furigana; highlight, tag and export what you find.&lt;/p&gt;</source>
        <translation>&lt;p&gt;日本語と英語の記事をふりがな付きで読み、気になった箇所にハイライトやタグを付けて書き出せます。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Kakikomi is built with these components, under their own licences:</source>
        <translation>Kakikomi は次のコンポーネントを使っています（それぞれのライセンスに従います）:</translation>
    </message>
</context>
<context>
    <name>ClaimsModel</name>
    <message>
        <source>Quote</source>
        <translation>引用</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>記事</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日付</translation>
    </message>
    <message>
        <source>Companies</source>
        <translation>企業</translation>
    </message>
    <message>
        <source>Chips</source>
        <translation>チップ</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金額</translation>
    </message>
    <message>
        <source>Company or chip</source>
        <translation>企業・チップ</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指標</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期間</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>unverified</source>
        <translation>未確認</translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation>確認済み</translation>
    </message>
    <message>
        <source>disputed</source>
        <translation>異論あり</translation>
    </message>
    <message>
        <source>outdated</source>
        <translation>古い情報</translation>
    </message>
    <message>
        <source>You corrected this claim&apos;s fact (company or chip, metric or period). Double-click or press F2 to change it.</source>
        <translation>この主張の企業・チップ、指標、期間はあなたが訂正したものです。ダブルクリックするか F2 キーを押すと変更できます。</translation>
    </message>
    <message>
        <source>Read from the sentence. Double-click or press F2 to correct it.</source>
        <translation>文から読み取った値です。ダブルクリックするか F2 キーを押すと訂正できます。</translation>
    </message>
    <message>
        <source>Its text changed in the post: re-attach the highlight.</source>
        <translation>記事の本文が変わりました。ハイライトを付け直してください。</translation>
    </message>
</context>
<context>
    <name>ClaimsWindow</name>
    <message>
        <source>Claims — Kakikomi</source>
        <translation>主張 — Kakikomi</translation>
    </message>
    <message>
        <source>Company:</source>
        <translation>企業:</translation>
    </message>
    <message>
        <source>Chip:</source>
        <translation>チップ:</translation>
    </message>
    <message>
        <source>Tag:</source>
        <translation>タグ:</translation>
    </message>
    <message>
        <source>Year:</source>
        <translation>年:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状態:</translation>
    </message>
    <message>
        <source>Currency:</source>
        <translation>通貨:</translation>
    </message>
    <message>
        <source>All</source>
        <translation>すべて</translation>
    </message>
    <message>
        <source>Show All</source>
        <translation>すべて表示</translation>
    </message>
    <message>
        <source>Clear the filters</source>
        <translation>絞り込みを解除</translation>
    </message>
    <message>
        <source>Mark as %1</source>
        <translation>「%1」にする</translation>
    </message>
    <message>
        <source>Edit Status &amp;Note…</source>
        <translation>状態のメモを編集(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open in the Reader</source>
        <translation>リーダーで開く(&amp;O)</translation>
    </message>
    <message>
        <source>The status of the selected claims</source>
        <translation>選んだ主張の状態</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>メモ…</translation>
    </message>
    <message>
        <source>Why the claim has this status: a source, a correction</source>
        <translation>この状態にした理由（出典や訂正など）</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>書き出し…</translation>
    </message>
    <message>
        <source>Save the claims shown as CSV or Markdown</source>
        <translation>表示中の主張を CSV または Markdown で保存</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>主張</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比較</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>時系列</translation>
    </message>
    <message>
        <source>The same company&apos;s figure for the same period, side by side across posts</source>
        <translation>同じ企業の同じ期間の数値を記事ごとに並べて比較</translation>
    </message>
    <message>
        <source>A company&apos;s or chip&apos;s figures over time, as a chart</source>
        <translation>企業やチップの数値の推移をグラフで表示</translation>
    </message>
    <message>
        <source>Claims shown: %1</source>
        <translation>表示中の主張: %1</translation>
    </message>
    <message>
        <source>Claim status</source>
        <translation>主張の状態</translation>
    </message>
    <message>
        <source>Saved: %1 is now %2.</source>
        <translation>保存しました: %1を「%2」にしました。</translation>
    </message>
    <message>
        <source>Status note</source>
        <translation>状態のメモ</translation>
    </message>
    <message>
        <source>Why is this claim %1?</source>
        <translation>この主張が「%1」なのはなぜですか？</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Export claims</source>
        <translation>主張を書き出す</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>%1 に書き出しました</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Disagreements only</source>
        <translation>食い違いのみ</translation>
    </message>
    <message>
        <source>All</source>
        <translation>すべて</translation>
    </message>
    <message>
        <source>Company or chip:</source>
        <translation>企業・チップ:</translation>
    </message>
    <message>
        <source>Metric:</source>
        <translation>指標:</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>記事</translation>
    </message>
    <message>
        <source>Figure as written</source>
        <translation>記事中の表記</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>範囲</translation>
    </message>
    <message>
        <source>Period stated</source>
        <translation>期間</translation>
    </message>
    <message>
        <source>Differs from</source>
        <translation>食い違い</translation>
    </message>
    <message>
        <source>Sentence</source>
        <translation>文</translation>
    </message>
    <message>
        <source>How many of the group&apos;s other figures this one neither overlaps nor comes within 10% of</source>
        <translation>グループ内のほかの数値のうち、範囲が重ならず 10% 以内にも収まらないものの数</translation>
    </message>
    <message>
        <source>Open in the Reader</source>
        <translation>リーダーで開く</translation>
    </message>
    <message>
        <source>Open the post at the sentence of the chosen figure</source>
        <translation>選んだ数値の文の位置で記事を開く</translation>
    </message>
    <message>
        <source>Exchange Rates…</source>
        <translation>為替レート…</translation>
    </message>
    <message>
        <source>The approximate rates used to compare figures in different currencies</source>
        <translation>通貨の違う数字を比べるときに使うおおよその為替レート</translation>
    </message>
    <message>
        <source>The figures overlap or are within 10% of each other.</source>
        <translation>数値の範囲が重なるか、互いに 10% 以内です。</translation>
    </message>
    <message>
        <source>At least two figures neither overlap nor come within 10% of each other.</source>
        <translation>範囲が重ならず、10% 以内にも収まらない数値があります。</translation>
    </message>
    <message>
        <source>Groups: %1, disagreeing: %2. Double-click a figure to open its sentence.</source>
        <translation>グループ: %1、食い違い: %2。数値をダブルクリックすると、その文の位置で記事を開きます。</translation>
    </message>
    <message>
        <source>No company&apos;s figure for one metric and period is given by two posts or more.</source>
        <translation>同じ企業・指標・期間の数値を 2 件以上の記事が挙げている例はありません。</translation>
    </message>
    <message>
        <source>✗ %1 of %2</source>
        <translation>✗ %2 件中 %1 件</translation>
    </message>
    <message>
        <source>✓ agree</source>
        <translation>✓ 一致</translation>
    </message>
    <message>
        <source>✗ DISAGREE</source>
        <translation>✗ 食い違い</translation>
    </message>
    <message>
        <source>%1 posts</source>
        <translation>記事 %1 件</translation>
    </message>
    <message>
        <source>Figures in different currencies are compared at approximate exchange rates of %1.</source>
        <translation>通貨の異なる数値は、%1 時点のおおよその為替レートで比較しています。</translation>
    </message>
    <message>
        <source>Figures in different currencies are compared at approximate exchange rates.</source>
        <translation>通貨の異なる数値は、おおよその為替レートで比較しています。</translation>
    </message>
</context>
<context>
    <name>Counts</name>
    <message numerus="yes">
        <source>%n highlight(s)</source>
        <translation>
            <numerusform>ハイライト %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export highlights</source>
        <translation>ハイライトの書き出し</translation>
    </message>
    <message>
        <source>This post</source>
        <translation>この記事</translation>
    </message>
    <message>
        <source>All posts with highlights</source>
        <translation>ハイライトのあるすべての記事</translation>
    </message>
    <message>
        <source>Open a post to export only its highlights.</source>
        <translation>記事を開くと、その記事のハイライトだけを書き出せます。</translation>
    </message>
    <message>
        <source>Markdown (Obsidian)</source>
        <translation>Markdown（Obsidian）</translation>
    </message>
    <message>
        <source>JSON (W3C Web Annotation)</source>
        <translation>JSON（W3C Web Annotation）</translation>
    </message>
    <message>
        <source>CSV (spreadsheets)</source>
        <translation>CSV（表計算ソフト）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>漢字《かんじ》 (Aozora Bunko)</source>
        <translation>漢字《かんじ》（青空文庫形式）</translation>
    </message>
    <message>
        <source>&lt;ruby&gt; (HTML)</source>
        <translation>&lt;ruby&gt;（HTML）</translation>
    </message>
    <message>
        <source>By position in the post</source>
        <translation>記事内の位置順</translation>
    </message>
    <message>
        <source>By tag</source>
        <translation>タグ別</translation>
    </message>
    <message>
        <source>One file per post (in a folder)</source>
        <translation>記事ごとに 1 ファイル（フォルダーに保存）</translation>
    </message>
    <message>
        <source>One file</source>
        <translation>1 つのファイル</translation>
    </message>
    <message>
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <source>Furigana in quotes:</source>
        <translation>引用のふりがな:</translation>
    </message>
    <message>
        <source>Order:</source>
        <translation>並び順:</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>ファイル:</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <source>Highlights of:</source>
        <translation>対象:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>形式:</translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation>保存先:</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>フォルダーを開く</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>書き出し</translation>
    </message>
    <message>
        <source>A folder for the Markdown files</source>
        <translation>Markdown ファイルの保存先フォルダー</translation>
    </message>
    <message>
        <source>A file</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Export into folder</source>
        <translation>フォルダーに書き出す</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export to file</source>
        <translation>ファイルに書き出す</translation>
    </message>
    <message>
        <source>Choose where to save the export.</source>
        <translation>書き出し先を選んでください。</translation>
    </message>
    <message>
        <source>For one file per post, choose a folder, not a .md file.</source>
        <translation>記事ごとに 1 ファイルで書き出すときは、.md ファイルではなくフォルダーを選んでください。</translation>
    </message>
    <message>
        <source>%1 is a folder; choose a file name.</source>
        <translation>%1 はフォルダーです。ファイル名を指定してください。</translation>
    </message>
    <message>
        <source>Nothing to export: no post in the selection has highlights.</source>
        <translation>書き出すものがありません。選んだ記事にはハイライトがありません。</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n 個のファイル</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported %1 to %2</source>
        <translation>%1 を %2 に書き出しました</translation>
    </message>
</context>
<context>
    <name>FactDelegate</name>
    <message>
        <source>Company or chip (empty: none)</source>
        <translation>企業・チップ（空欄: なし）</translation>
    </message>
    <message>
        <source>A year (2025), a fiscal year (FY2025), a quarter (2025Q3), a half (2025H1) or a date (asof:2025-11-30)</source>
        <translation>年（2025）、年度（FY2025）、四半期（2025Q3）、半期（2025H1）、または日付（asof:2025-11-30）</translation>
    </message>
    <message>
        <source>“%1” is not a period yet: write a year (2025), FY2025, 2025Q3, 2025H1 or asof:2025-11-30.</source>
        <translation>「%1」は期間として読めません。2025、FY2025、2025Q3、2025H1、asof:2025-11-30 のように書いてください。</translation>
    </message>
</context>
<context>
    <name>FactNames</name>
    <message>
        <source>Capex / investment</source>
        <translation>設備投資・投資</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>売上高</translation>
    </message>
    <message>
        <source>Operating profit</source>
        <translation>営業利益</translation>
    </message>
    <message>
        <source>Net profit</source>
        <translation>純利益</translation>
    </message>
    <message>
        <source>Market value / valuation</source>
        <translation>時価総額・評価額</translation>
    </message>
    <message>
        <source>Funding raised</source>
        <translation>資金調達</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>価格</translation>
    </message>
    <message>
        <source>Market size</source>
        <translation>市場規模</translation>
    </message>
    <message>
        <source>Subsidy</source>
        <translation>補助金</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>as of %1</source>
        <translation>%1 時点</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find in this post</source>
        <translation>この記事内を検索</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter)</source>
        <translation>前を検索（Shift+Enter）</translation>
    </message>
    <message>
        <source>Next match (Enter)</source>
        <translation>次を検索（Enter）</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>閉じる（Esc）</translation>
    </message>
    <message>
        <source>No match</source>
        <translation>見つかりません</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2 件</translation>
    </message>
    <message>
        <source>%1 (title)</source>
        <translation>%1(タイトル)</translation>
    </message>
</context>
<context>
    <name>HighlightActions</name>
    <message>
        <source>Select some text in the post first.</source>
        <translation>先に記事のテキストを選択してください。</translation>
    </message>
    <message>
        <source>Highlight</source>
        <translation>ハイライト</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Recolour</source>
        <translation>色の変更</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation type="vanished">メモ:</translation>
    </message>
    <message>
        <source>Highlight deleted. Ctrl+Z brings it back.</source>
        <translation>ハイライトを削除しました。Ctrl+Z で元に戻せます。</translation>
    </message>
    <message>
        <source>Re-attach</source>
        <translation>付け直す</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>読み</translation>
    </message>
    <message>
        <source>Known Word</source>
        <translation type="vanished">覚えた語</translation>
    </message>
    <message>
        <source>Word Status</source>
        <translation>語の状態</translation>
    </message>
    <message>
        <source>Anki Deck</source>
        <translation>Anki デッキ</translation>
    </message>
    <message>
        <source>Highlight Change</source>
        <translation>ハイライトの変更</translation>
    </message>
    <message>
        <source>Choose a highlight (click it) or select some text to tag.</source>
        <translation>タグを付けるには、ハイライトをクリックして選ぶか、テキストを選択してください。</translation>
    </message>
    <message>
        <source>Choose a highlight (click it) or select some text to annotate.</source>
        <translation>メモを書くには、ハイライトをクリックして選ぶか、テキストを選択してください。</translation>
    </message>
    <message>
        <source>Choose a highlight (click it) to delete it.</source>
        <translation>削除するハイライトをクリックして選んでください。</translation>
    </message>
    <message>
        <source>Select the text in the post, then choose the highlight to attach to it.</source>
        <translation>記事のテキストを選択してから、そこに付け直すハイライトを選んでください。</translation>
    </message>
    <message>
        <source>Nothing to undo.</source>
        <translation>元に戻す操作はありません。</translation>
    </message>
    <message>
        <source>Nothing to redo.</source>
        <translation>やり直す操作はありません。</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>%1を元に戻す(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>%1をやり直す(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>やり直す(&amp;R)</translation>
    </message>
</context>
<context>
    <name>HighlightsPanel</name>
    <message>
        <source>Show only the highlights with this tag</source>
        <translation>このタグの付いたハイライトだけを表示</translation>
    </message>
    <message>
        <source>Show only the highlights of this colour</source>
        <translation>この色のハイライトだけを表示</translation>
    </message>
    <message>
        <source>All colours</source>
        <translation>すべての色</translation>
    </message>
    <message>
        <source>Highlights</source>
        <translation>ハイライト</translation>
    </message>
    <message>
        <source>Select text in the post and press H to highlight it.</source>
        <translation>記事のテキストを選択して H キーを押すとハイライトできます。</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>緑</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>青</translation>
    </message>
    <message>
        <source>Pink</source>
        <translation>ピンク</translation>
    </message>
    <message>
        <source>Purple</source>
        <translation>紫</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>すべてのタグ</translation>
    </message>
    <message>
        <source>Orphans: their text changed; select new text and choose Re-attach</source>
        <translation>付け先のないハイライト: 本文が変わりました。新しいテキストを選択して「付け直す」を選んでください</translation>
    </message>
    <message numerus="yes">
        <source>%n highlight(s)</source>
        <translation>
            <numerusform>ハイライト %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>No highlight matches these filters.</source>
        <translation>この条件に合うハイライトはありません。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import a word list</source>
        <translation>単語リストの読み込み</translation>
    </message>
    <message>
        <source>1 word in %2:</source>
        <translation>%2 の 1 語:</translation>
    </message>
    <message>
        <source>%1 words in %2:</source>
        <translation>%2 の %1 語:</translation>
    </message>
    <message>
        <source>Give them the status:</source>
        <translation>付ける状態:</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>読み込む</translation>
    </message>
</context>
<context>
    <name>ImportErrors</name>
    <message>
        <source>Some files were not imported</source>
        <translation>読み込めなかったファイルがあります</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be imported:</source>
        <translation>
            <numerusform>%n 個のファイルを読み込めませんでした:</numerusform>
        </translation>
    </message>
    <message>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>ImportProgress</name>
    <message>
        <source>Importing posts</source>
        <translation>記事を読み込み中</translation>
    </message>
    <message>
        <source>Looking for posts…</source>
        <translation>記事を探しています…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Importing %1 of %2: %3</source>
        <translation>読み込み中（%1 / %2）: %3</translation>
    </message>
</context>
<context>
    <name>LibraryPanel</name>
    <message>
        <source>Search posts, quotes, notes, tags…</source>
        <translation>記事・引用・メモ・タグを検索…</translation>
    </message>
    <message>
        <source>Show only the posts with this tag or category</source>
        <translation>このタグまたはカテゴリーの記事だけを表示</translation>
    </message>
    <message>
        <source>No posts yet. Open a post or a folder of posts (File › Open), or drop files here.</source>
        <translation>記事はまだありません。記事や記事のフォルダーを開くか（ファイル › 開く）、ここにファイルをドロップしてください。</translation>
    </message>
    <message>
        <source>No post has this tag.</source>
        <translation>このタグの付いた記事はありません。</translation>
    </message>
    <message>
        <source>%1% known</source>
        <translation>%1% 既知</translation>
    </message>
    <message numerus="yes">
        <source>%n highlight(s)</source>
        <translation>
            <numerusform>ハイライト %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>%1% read</source>
        <translation>%1% 読了</translation>
    </message>
    <message>
        <source>All posts</source>
        <translation>すべての記事</translation>
    </message>
    <message>
        <source>Category: %1</source>
        <translation>カテゴリー: %1</translation>
    </message>
    <message>
        <source>text</source>
        <translation>本文</translation>
    </message>
    <message>
        <source>highlight</source>
        <translation>ハイライト</translation>
    </message>
    <message>
        <source>note</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>tag</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>title</source>
        <translation>題名・タグ</translation>
    </message>
    <message>
        <source>Nothing found for “%1”.</source>
        <translation>「%1」は見つかりませんでした。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>フォルダーを開く(&amp;F)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近使ったファイル(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export Highlights…</source>
        <translation>ハイライトを書き出す(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <source>Copy with &amp;Readings</source>
        <translation>読みがな付きでコピー(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Find in Post…</source>
        <translation>記事内を検索(&amp;F)…</translation>
    </message>
    <message>
        <source>Search the &amp;Library</source>
        <translation>ライブラリを検索(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Highlight</source>
        <translation>ハイライト(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;All</source>
        <translation>すべて(&amp;A)</translation>
    </message>
    <message>
        <source>Furigana: unknown words only</source>
        <translation>ふりがな: 覚えていない語だけ</translation>
    </message>
    <message>
        <source>&amp;Unknown Words Only</source>
        <translation>覚えていない語だけ(&amp;U)</translation>
    </message>
    <message>
        <source>Furigana: beyond grade 1</source>
        <translation>ふりがな: 小学 1 年より上の漢字</translation>
    </message>
    <message>
        <source>Beyond Grade &amp;1</source>
        <translation>小学 1 年より上の漢字(&amp;1)</translation>
    </message>
    <message>
        <source>Furigana: beyond grade 2</source>
        <translation>ふりがな: 小学 2 年より上の漢字</translation>
    </message>
    <message>
        <source>Beyond Grade &amp;2</source>
        <translation>小学 2 年より上の漢字(&amp;2)</translation>
    </message>
    <message>
        <source>Furigana: beyond grade 3</source>
        <translation>ふりがな: 小学 3 年より上の漢字</translation>
    </message>
    <message>
        <source>Beyond Grade &amp;3</source>
        <translation>小学 3 年より上の漢字(&amp;3)</translation>
    </message>
    <message>
        <source>Furigana: beyond grade 4</source>
        <translation>ふりがな: 小学 4 年より上の漢字</translation>
    </message>
    <message>
        <source>Beyond Grade &amp;4</source>
        <translation>小学 4 年より上の漢字(&amp;4)</translation>
    </message>
    <message>
        <source>Furigana: beyond grade 5</source>
        <translation>ふりがな: 小学 5 年より上の漢字</translation>
    </message>
    <message>
        <source>Beyond Grade &amp;5</source>
        <translation>小学 5 年より上の漢字(&amp;5)</translation>
    </message>
    <message>
        <source>Beyond &amp;Primary School (Grade 6)</source>
        <translation>小学校で習わない漢字(&amp;P)</translation>
    </message>
    <message>
        <source>Beyond &amp;Jōyō</source>
        <translation>常用漢字外(&amp;J)</translation>
    </message>
    <message>
        <source>Furigana: harder than N5</source>
        <translation>ふりがな: N5 より難しい漢字</translation>
    </message>
    <message>
        <source>Harder than N5</source>
        <translation>N5 より難しい漢字</translation>
    </message>
    <message>
        <source>Furigana: harder than N4</source>
        <translation>ふりがな: N4 より難しい漢字</translation>
    </message>
    <message>
        <source>Harder than N4</source>
        <translation>N4 より難しい漢字</translation>
    </message>
    <message>
        <source>Harder than N3</source>
        <translation>N3 より難しい漢字</translation>
    </message>
    <message>
        <source>Furigana: harder than N2</source>
        <translation>ふりがな: N2 より難しい漢字</translation>
    </message>
    <message>
        <source>Harder than N2</source>
        <translation>N2 より難しい漢字</translation>
    </message>
    <message>
        <source>Beyond &amp;N1</source>
        <translation>N1 の範囲外の漢字(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Off</source>
        <translation>なし(&amp;O)</translation>
    </message>
    <message>
        <source>Import from &amp;URL…</source>
        <translation>URLから読み込む(&amp;U)…</translation>
    </message>
    <message>
        <source>Export &amp;Anki Deck…</source>
        <translation>Anki デッキを書き出す(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>やり直す(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Highlight Selection</source>
        <translation>選択範囲をハイライト(&amp;H)</translation>
    </message>
    <message>
        <source>Highlight in &amp;Colour</source>
        <translation>色を指定してハイライト(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Tag…</source>
        <translation>タグ(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Note…</source>
        <translation>メモ(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Delete Highlight</source>
        <translation>ハイライトを削除(&amp;D)</translation>
    </message>
    <message>
        <source>Ne&amp;xt Highlight</source>
        <translation>次のハイライト(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Previous Highlight</source>
        <translation>前のハイライト(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Re-attach to Selection</source>
        <translation>選択範囲に付け直す(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>Which words get furigana</source>
        <translation>ふりがなを付ける語</translation>
    </message>
    <message>
        <source>Colours of the page</source>
        <translation type="vanished">ページの配色</translation>
    </message>
    <message>
        <source>&amp;Vertical Writing (縦書き)</source>
        <translation>縦書き(&amp;V)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>拡大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>縮小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>実際のサイズ(&amp;A)</translation>
    </message>
    <message>
        <source>Load &amp;Remote Images in This Post</source>
        <translation>この記事の外部画像を読み込む(&amp;R)</translation>
    </message>
    <message>
        <source>Posts may point at images on other sites; they are only fetched if you allow it</source>
        <translation>記事は他のサイトの画像を参照していることがあります。許可した場合にだけ読み込みます</translation>
    </message>
    <message>
        <source>&amp;Notebook…</source>
        <translation>ノートブック(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Vocabulary</source>
        <translation>語彙(&amp;V)</translation>
    </message>
    <message>
        <source>The words of this post: their status, reading, meaning and count</source>
        <translation>この投稿の語：状態・読み・意味・回数</translation>
    </message>
    <message>
        <source>&amp;Known Words…</source>
        <translation>語の状態(&amp;K)…</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>言語(&amp;L)</translation>
    </message>
    <message>
        <source>Follow the System</source>
        <translation>システムの設定に従う</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Kakikomi</source>
        <translation>Kakikomi について(&amp;A)</translation>
    </message>
    <message>
        <source>Reader</source>
        <translation>リーダー</translation>
    </message>
    <message>
        <source>&amp;Claims Table…</source>
        <translation>主張の一覧(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Suggested Claims</source>
        <translation>主張の候補(&amp;S)</translation>
    </message>
    <message>
        <source>Furigana: all</source>
        <translation>ふりがな: すべて</translation>
    </message>
    <message>
        <source>Furigana: beyond primary school</source>
        <translation>ふりがな: 小学校で習わない漢字</translation>
    </message>
    <message>
        <source>Furigana: beyond jōyō</source>
        <translation>ふりがな: 常用漢字外</translation>
    </message>
    <message>
        <source>Furigana: harder than N3</source>
        <translation>ふりがな: N3 より難しい漢字</translation>
    </message>
    <message>
        <source>Furigana: beyond N1</source>
        <translation>ふりがな: N1 の範囲外の漢字</translation>
    </message>
    <message>
        <source>Furigana: hide known words</source>
        <translation type="vanished">ふりがな: 覚えた語には付けない</translation>
    </message>
    <message>
        <source>Furigana: off</source>
        <translation>ふりがな: なし</translation>
    </message>
    <message>
        <source>&amp;Furigana</source>
        <translation>ふりがな(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Underline New and Learning Words</source>
        <translation>未習と学習中の語に下線(&amp;U)</translation>
    </message>
    <message>
        <source>New words get a dotted blue underline, words you are learning a wavy orange one</source>
        <translation>未習の語には青い点線、学習中の語にはオレンジの波線が引かれます</translation>
    </message>
    <message>
        <source>Colours of the window and the page</source>
        <translation>ウィンドウとページの配色</translation>
    </message>
    <message>
        <source>Theme: system</source>
        <translation>テーマ: システム</translation>
    </message>
    <message>
        <source>Theme: light</source>
        <translation>テーマ: ライト</translation>
    </message>
    <message>
        <source>Theme: sepia</source>
        <translation>テーマ: セピア</translation>
    </message>
    <message>
        <source>Theme: dark</source>
        <translation>テーマ: ダーク</translation>
    </message>
    <message>
        <source>Cannot open the post</source>
        <translation>記事を開けません</translation>
    </message>
    <message>
        <source>%1 is not in the library.</source>
        <translation>%1 はライブラリにありません。</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Note</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>Note (Ctrl+Enter saves):</source>
        <translation>メモ（Ctrl+Enter で保存）:</translation>
    </message>
</context>
<context>
    <name>NotebookModel</name>
    <message>
        <source>Post</source>
        <translation>記事</translation>
    </message>
    <message>
        <source>Highlight</source>
        <translation>ハイライト</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>色</translation>
    </message>
    <message>
        <source>Highlighted</source>
        <translation>ハイライト日</translation>
    </message>
    <message>
        <source>(orphan) %1</source>
        <translation>(孤立)%1</translation>
    </message>
</context>
<context>
    <name>NotebookWindow</name>
    <message>
        <source>Notebook — Kakikomi</source>
        <translation>ノートブック — Kakikomi</translation>
    </message>
    <message>
        <source>Filter by text in highlights, notes, tags, titles…</source>
        <translation>ハイライト・メモ・タグ・タイトルの文字で絞り込む…</translation>
    </message>
    <message>
        <source>Only highlights with this tag</source>
        <translation>このタグのハイライトだけ</translation>
    </message>
    <message>
        <source>Only highlights of this colour</source>
        <translation>この色のハイライトだけ</translation>
    </message>
    <message>
        <source>Only highlights of this post</source>
        <translation>この記事のハイライトだけ</translation>
    </message>
    <message>
        <source>Highlighted from</source>
        <translation>ハイライトした日:</translation>
    </message>
    <message>
        <source>Order of the highlights</source>
        <translation>ハイライトの並び順</translation>
    </message>
    <message>
        <source>By post</source>
        <translation>記事順</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>新しい順</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>古い順</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>書き出し…</translation>
    </message>
    <message>
        <source>Write the highlights shown as Markdown or CSV</source>
        <translation>表示中のハイライトを Markdown または CSV に書き出す</translation>
    </message>
    <message>
        <source>to</source>
        <translation>〜</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>すべてのタグ</translation>
    </message>
    <message>
        <source>All colours</source>
        <translation>すべての色</translation>
    </message>
    <message>
        <source>All posts</source>
        <translation>すべての記事</translation>
    </message>
    <message numerus="yes">
        <source>%n highlight(s)</source>
        <translation>
            <numerusform>ハイライト %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export the notebook</source>
        <translation>ノートブックを書き出す</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>書き出せませんでした</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n highlight(s) to %1</source>
        <translation>
            <numerusform>ハイライト %n 件を %1 に書き出しました</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PitchView</name>
    <message>
        <source>Pitch accent: %1</source>
        <translation>アクセント: %1</translation>
    </message>
</context>
<context>
    <name>RatesDialog</name>
    <message>
        <source>Exchange Rates</source>
        <translation>為替レート</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>通貨</translation>
    </message>
    <message>
        <source>US dollars per unit</source>
        <translation>1単位あたりの米ドル</translation>
    </message>
    <message>
        <source>As of:</source>
        <translation>時点:</translation>
    </message>
    <message>
        <source>Approximate rates, used only to compare figures given in different currencies; a figure is always shown as written.</source>
        <translation>おおよそのレートです。通貨の違う数字を比べるときにだけ使い、数字はいつも書かれたとおりに表示します。</translation>
    </message>
    <message>
        <source>The rate of %1 is not a number.</source>
        <translation>%1 のレートが数値ではありません。</translation>
    </message>
</context>
<context>
    <name>SuggestedClaims</name>
    <message>
        <source>Sentences of this post that state an amount, or name a chip and a company</source>
        <translation>この記事で金額を述べている文、またはチップと企業の名前が出てくる文</translation>
    </message>
    <message>
        <source>Accept as Claim</source>
        <translation>主張として採用</translation>
    </message>
    <message>
        <source>Highlight the sentence, tagged as a claim</source>
        <translation>この文をハイライトして claim タグを付けます</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>候補から外す</translation>
    </message>
    <message>
        <source>Do not suggest this sentence again</source>
        <translation>この文を今後は候補にしない</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>採用</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>候補</translation>
    </message>
    <message>
        <source>Suggestions could not be computed: %1</source>
        <translation>候補を求められませんでした: %1</translation>
    </message>
    <message>
        <source>Open a post to see the sentences worth keeping as claims.</source>
        <translation>記事を開くと、主張として残したい文の候補が表示されます。</translation>
    </message>
    <message>
        <source>Looking for amounts, companies and chips…</source>
        <translation>金額・企業・チップを探しています…</translation>
    </message>
    <message>
        <source>Nothing to suggest: no sentence of this post states an amount, or names a chip with a company.</source>
        <translation>候補はありません。この記事には、金額を述べる文も、チップと企業を挙げる文もありません。</translation>
    </message>
    <message>
        <source>Nothing to suggest: every sentence with an amount, or a chip and a company, is highlighted or dismissed.</source>
        <translation>候補はありません。金額や、チップと企業を含む文は、すべてハイライト済みか候補から外してあります。</translation>
    </message>
    <message>
        <source>Accept claim</source>
        <translation>主張を採用</translation>
    </message>
    <message>
        <source>Dismiss suggestion</source>
        <translation>候補から外す</translation>
    </message>
</context>
<context>
    <name>TagDialog</name>
    <message>
        <source>Tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>chip investment company claim question, or your own</source>
        <translation>chip investment company claim question など（自由に付けられます）</translation>
    </message>
    <message>
        <source>Tags, separated by spaces:</source>
        <translation>タグ（スペース区切り）:</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>All</source>
        <translation>すべて</translation>
    </message>
    <message>
        <source>Company or chip:</source>
        <translation>企業・チップ:</translation>
    </message>
    <message>
        <source>Metric:</source>
        <translation>指標:</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>書き出し…</translation>
    </message>
    <message>
        <source>Save the chart as SVG or PNG</source>
        <translation>グラフを SVG または PNG で保存</translation>
    </message>
    <message>
        <source>No claim names a company or chip yet: tag sentences as claims, or correct their company in the table.</source>
        <translation>企業やチップを含む主張はまだありません。文を主張としてタグ付けするか、表で企業を訂正してください。</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 画像 (*.svg)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
    <message>
        <source>Export timeline</source>
        <translation>時系列グラフを書き出す</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>%1 に書き出しました</translation>
    </message>
</context>
<context>
    <name>ViewSettings</name>
    <message>
        <source>Settings could not be saved: %1</source>
        <translation>設定を保存できませんでした: %1</translation>
    </message>
    <message>
        <source>Remote images cannot be remembered for a file whose name is not UTF-8.</source>
        <translation>ファイル名が UTF-8 でないファイルでは、外部画像の設定を記憶できません。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>The new language is used from the next start of Kakikomi.</source>
        <translation>新しい言語は Kakikomi の次回起動時から使われます。</translation>
    </message>
</context>
<context>
    <name>VocabularyModel</name>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>語</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>読み</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>意味</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>回数</translation>
    </message>
    <message>
        <source>Dictionary form: %1</source>
        <translation>辞書形: %1</translation>
    </message>
    <message>
        <source>First seen as %1</source>
        <translation>本文での最初の形: %1</translation>
    </message>
</context>
<context>
    <name>VocabularyPanel</name>
    <message>
        <source>New</source>
        <translation>未習</translation>
    </message>
    <message>
        <source>Learning</source>
        <translation>学習中</translation>
    </message>
    <message>
        <source>Known</source>
        <translation>既知</translation>
    </message>
    <message>
        <source>Ignored</source>
        <translation>無視</translation>
    </message>
    <message>
        <source>In order of appearance</source>
        <translation>出てくる順</translation>
    </message>
    <message>
        <source>Most frequent first</source>
        <translation>多い順</translation>
    </message>
    <message>
        <source>By status</source>
        <translation>状態順</translation>
    </message>
    <message>
        <source>By reading</source>
        <translation>読み順</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>語彙</translation>
    </message>
    <message>
        <source>Filter by word, reading or meaning</source>
        <translation>語・読み・意味で絞り込み</translation>
    </message>
    <message>
        <source>Only the words with this status</source>
        <translation>この状態の語だけ</translation>
    </message>
    <message>
        <source>All words</source>
        <translation>すべての語</translation>
    </message>
    <message>
        <source>To learn (new and learning)</source>
        <translation>学ぶ語（未習と学習中）</translation>
    </message>
    <message>
        <source>Order of the words</source>
        <translation>語の並び順</translation>
    </message>
    <message>
        <source>Mark the selected words as %1 (key %2)</source>
        <translation>選んだ語を「%1」にします（キー %2）</translation>
    </message>
    <message>
        <source>Add to Anki deck</source>
        <translation>Anki デッキに追加</translation>
    </message>
    <message>
        <source>Add the selected words to the Anki deck, each with its first sentence</source>
        <translation>選んだ語を、最初に出てくる文と一緒に Anki デッキに追加します</translation>
    </message>
    <message>
        <source>Export Anki deck…</source>
        <translation>Anki デッキを書き出す…</translation>
    </message>
    <message>
        <source>Write cards for the selected words (none selected: the words added to the deck) as .apkg or .txt</source>
        <translation>選んだ語（選んでいなければ Anki デッキに追加した語）のカードを .apkg か .txt で書き出します</translation>
    </message>
    <message>
        <source>No post is open.</source>
        <translation>記事が開かれていません。</translation>
    </message>
    <message>
        <source>1 word</source>
        <translation>1 語</translation>
    </message>
    <message>
        <source>%1 words</source>
        <translation>%1 語</translation>
    </message>
    <message>
        <source>%1% known</source>
        <translation>%1% 既知</translation>
    </message>
    <message>
        <source>%1 shown</source>
        <translation>%1 語を表示</translation>
    </message>
    <message>
        <source>Word status</source>
        <translation>語の状態</translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation>%1 を「%2」にしました。</translation>
    </message>
    <message>
        <source>%3 words are now %2.</source>
        <translation>%3 語を「%2」にしました。</translation>
    </message>
    <message>
        <source>Anki deck</source>
        <translation>Anki デッキ</translation>
    </message>
    <message>
        <source>Added %1 of %2 words to the Anki deck (Export Anki deck… writes it).</source>
        <translation>%2 語のうち %1 語を Anki デッキに追加しました（「Anki デッキを書き出す…」で書き出せます）。</translation>
    </message>
    <message>
        <source>Anki deck package (*.apkg)</source>
        <translation>Anki デッキパッケージ (*.apkg)</translation>
    </message>
    <message>
        <source>Anki text import (*.txt)</source>
        <translation>Anki 用テキスト (*.txt)</translation>
    </message>
    <message>
        <source>Export Anki deck</source>
        <translation>Anki デッキの書き出し</translation>
    </message>
    <message>
        <source>Select words in the list, or add words to the Anki deck, first.</source>
        <translation>先に一覧で語を選ぶか、Anki デッキに語を追加してください。</translation>
    </message>
    <message>
        <source>Wrote %1 cards to %2.</source>
        <translation>%1 枚のカードを %2 に書き出しました。</translation>
    </message>
    <message>
        <source>Show in the Post</source>
        <translation>本文で表示</translation>
    </message>
    <message>
        <source>Mark as %1</source>
        <translation>「%1」にする</translation>
    </message>
    <message>
        <source>Add to Anki Deck</source>
        <translation>Anki デッキに追加</translation>
    </message>
    <message>
        <source>Export Anki Deck…</source>
        <translation>Anki デッキを書き出す…</translation>
    </message>
</context>
<context>
    <name>WindowImports</name>
    <message>
        <source>Import cancelled.</source>
        <translation>読み込みをキャンセルしました。</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>読み込みに失敗しました</translation>
    </message>
    <message>
        <source>Open posts</source>
        <translation>記事を開く</translation>
    </message>
    <message>
        <source>Posts (*.md *.markdown *.txt *.html *.htm)</source>
        <translation>記事 (*.md *.markdown *.txt *.html *.htm)</translation>
    </message>
    <message>
        <source>Open a folder of posts</source>
        <translation>記事のフォルダーを開く</translation>
    </message>
    <message>
        <source>Import from URL</source>
        <translation>URLから読み込む</translation>
    </message>
    <message>
        <source>The address of a web page (http or https):</source>
        <translation>ウェブページのアドレス（http または https）:</translation>
    </message>
    <message>
        <source>Only http and https addresses can be imported.</source>
        <translation>読み込めるのは http と https のアドレスだけです。</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>最近使ったファイルはありません</translation>
    </message>
</context>
<context>
    <name>WordManager</name>
    <message>
        <source>Known Words — Kakikomi</source>
        <translation>覚えた語 — Kakikomi</translation>
    </message>
    <message>
        <source>Search words, readings and meanings</source>
        <translation>語・読み・意味を検索</translation>
    </message>
    <message>
        <source>Only the words with this status</source>
        <translation>この状態の語だけ</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>すべての状態</translation>
    </message>
    <message>
        <source>Mark the selected words as %1 (key %2)</source>
        <translation>選んだ語を「%1」にします（キー %2）</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>読み込む…</translation>
    </message>
    <message>
        <source>Give the words of a word list (one a line, or Anki&apos;s notes exported as text) a status</source>
        <translation>単語リスト（1 行に 1 語、または Anki からテキストで書き出したノート）の語に状態を付けます</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>書き出す…</translation>
    </message>
    <message>
        <source>Write the words shown, one a line</source>
        <translation>表示中の語を 1 行に 1 語ずつ書き出します</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>1 word</source>
        <translation>1 語</translation>
    </message>
    <message>
        <source>%1 words</source>
        <translation>%1 語</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2 中 %1</translation>
    </message>
    <message>
        <source>Word status</source>
        <translation>語の状態</translation>
    </message>
    <message>
        <source>Import a word list</source>
        <translation>単語リストの読み込み</translation>
    </message>
    <message>
        <source>Word lists (*.txt *.tsv *.csv);;All files (*)</source>
        <translation>単語リスト (*.txt *.tsv *.csv);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>%1 is too large for a word list.</source>
        <translation>%1 は単語リストとしては大きすぎます。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>%1 を読めません: %2。</translation>
    </message>
    <message>
        <source>%1 is not a text file in UTF-8.</source>
        <translation>%1 は UTF-8 のテキストファイルではありません。</translation>
    </message>
    <message>
        <source>%1 holds no words (one word a line, or Anki notes exported as text).</source>
        <translation>%1 に語がありません（1 行に 1 語、または Anki からテキストで書き出したノートにしてください）。</translation>
    </message>
    <message>
        <source>Imported %1 words as %2 (%3 changed).</source>
        <translation>%1 語を「%2」として読み込みました（%3 語を変更）。</translation>
    </message>
    <message>
        <source>Export the word list</source>
        <translation>単語リストの書き出し</translation>
    </message>
    <message>
        <source>Word lists (*.txt)</source>
        <translation>単語リスト (*.txt)</translation>
    </message>
    <message>
        <source>Cannot write %1: %2.</source>
        <translation>%1 に書き込めません: %2。</translation>
    </message>
    <message>
        <source>Exported %1 words to %2</source>
        <translation>%1 語を %2 に書き出しました</translation>
    </message>
    <message>
        <source>Mark as %1</source>
        <translation>「%1」にする</translation>
    </message>
</context>
<context>
    <name>WordPopup</name>
    <message>
        <source>New</source>
        <translation>未習</translation>
    </message>
    <message>
        <source>Learning</source>
        <translation>学習中</translation>
    </message>
    <message>
        <source>Known</source>
        <translation>既知</translation>
    </message>
    <message>
        <source>Ignored</source>
        <translation>無視</translation>
    </message>
    <message>
        <source>heiban: low, then high to the end and on a particle after it</source>
        <translation>平板型: 低く始まり、語の終わりと続く助詞まで高い</translation>
    </message>
    <message>
        <source>atamadaka: high on the first mora, then low</source>
        <translation>頭高型: 最初の拍だけ高く、あとは低い</translation>
    </message>
    <message>
        <source>nakadaka: the pitch falls inside the word</source>
        <translation>中高型: 語の途中で下がる</translation>
    </message>
    <message>
        <source>odaka: high to the end, a particle after it low</source>
        <translation>尾高型: 語の終わりまで高く、続く助詞で下がる</translation>
    </message>
    <message>
        <source>Your reading</source>
        <translation>自分の読み</translation>
    </message>
    <message>
        <source>Other readings (click one to use it):</source>
        <translation>ほかの読み（クリックで選べます）:</translation>
    </message>
    <message>
        <source>Your own reading, in kana</source>
        <translation>自分で決める読み（かなで入力）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>This post</source>
        <translation>この記事</translation>
    </message>
    <message>
        <source>Only where this word stands in this post, in this context</source>
        <translation>この記事のこの箇所だけ（この文脈の場合のみ）</translation>
    </message>
    <message>
        <source>Everywhere</source>
        <translation>すべての記事</translation>
    </message>
    <message>
        <source>This word in every post</source>
        <translation>すべての記事のこの語</translation>
    </message>
    <message>
        <source>Save for:</source>
        <translation>適用範囲:</translation>
    </message>
    <message>
        <source>More…</source>
        <translation>もっと見る…</translation>
    </message>
    <message>
        <source>Keys: 1–5 colour the highlight · A Anki deck · Esc close</source>
        <translation>キー: 1–5 ハイライトの色 · A Anki デッキ · Esc 閉じる</translation>
    </message>
    <message>
        <source>Keys: 1–4 status · A Anki deck · Esc close</source>
        <translation>キー: 1–4 状態 · A Anki デッキ · Esc 閉じる</translation>
    </message>
    <message>
        <source>In Anki deck ✓</source>
        <translation>Anki デッキに追加済み ✓</translation>
    </message>
    <message>
        <source>Click to take the word out of the Anki deck (A)</source>
        <translation>クリックで Anki デッキから外します（A）</translation>
    </message>
    <message>
        <source>Add to Anki deck</source>
        <translation>Anki デッキに追加</translation>
    </message>
    <message>
        <source>A card for this word, with this sentence (A)</source>
        <translation>この語のカードを、この文と一緒に作ります（A）</translation>
    </message>
    <message>
        <source>Added %1 to the Anki deck (1 word). File › Export Anki deck… writes it.</source>
        <translation>%1を Anki デッキに追加しました（1 語）。「ファイル › Anki デッキを書き出す…」で書き出せます。</translation>
    </message>
    <message>
        <source>Added %1 to the Anki deck (%2 words). File › Export Anki deck… writes it.</source>
        <translation>%1を Anki デッキに追加しました（%2 語）。「ファイル › Anki デッキを書き出す…」で書き出せます。</translation>
    </message>
    <message>
        <source>Took %1 out of the Anki deck (1 word left).</source>
        <translation>%1を Anki デッキから外しました（残り 1 語）。</translation>
    </message>
    <message>
        <source>Took %1 out of the Anki deck (%2 words left).</source>
        <translation>%1を Anki デッキから外しました（残り %2 語）。</translation>
    </message>
    <message>
        <source>I know this word (hide its furigana in every post)</source>
        <translation type="vanished">この語は覚えた（すべての記事でふりがなを付けない）</translation>
    </message>
    <message>
        <source>Dictionary form: %1</source>
        <translation>辞書形: %1</translation>
    </message>
    <message>
        <source>Part of speech: %1</source>
        <translation>品詞: %1</translation>
    </message>
    <message>
        <source>common</source>
        <translation>よく使う語</translation>
    </message>
    <message>
        <source>pitch %1</source>
        <translation type="vanished">アクセント %1</translation>
    </message>
    <message>
        <source>on: %1</source>
        <translation>音: %1</translation>
    </message>
    <message>
        <source>kun: %1</source>
        <translation>訓: %1</translation>
    </message>
    <message>
        <source>grade %1</source>
        <translation>小学%1年</translation>
    </message>
    <message>
        <source>jōyō, secondary school</source>
        <translation>常用（中学以上）</translation>
    </message>
    <message>
        <source>name kanji</source>
        <translation>人名用</translation>
    </message>
    <message>
        <source>%1 strokes</source>
        <translation>%1 画</translation>
    </message>
    <message>
        <source>More… (%1)</source>
        <translation>もっと見る… (%1)</translation>
    </message>
    <message>
        <source>pitch</source>
        <translation>アクセント</translation>
    </message>
    <message>
        <source>A reading is written in hiragana or katakana only.</source>
        <translation>読みはひらがなまたはカタカナだけで入力してください。</translation>
    </message>
</context>
<context>
    <name>WordStatusModel</name>
    <message>
        <source>Word</source>
        <translation>語</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>読み</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>意味</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
</context>
</TS>
