"""Tests for app.core.posts.dialects: site-generator syntax shown as the authors' sites show it.

Each case is one small post using one construct: the rendered HTML must hold what the site would
show, the plain text none of the generator's syntax, code no <ruby>, and the warnings say what
was left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from app.core.posts.dialects import preprocess
from app.core.posts.post import parse_post
from app.core.posts.render import render_post
from tests.helpers.html_safety import check

_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
# Syntax no rendered plain text may show (outside a code block, which some cases keep on purpose).
_SYNTAX = re.compile(
    r"\{%|%\}|\{\{|\}\}|:::|@\[|\[:contents\]|\{:|\{#|\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]|^\* TOC$",
    re.I | re.M,
)


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    html: tuple[str, ...] = ()  # substrings the HTML must hold
    not_html: tuple[str, ...] = ()  # substrings it must not hold
    plain: tuple[str, ...] = ()  # substrings the plain text must hold
    warnings: tuple[str, ...] = ()  # the warnings exactly (dialect ones only)
    syntax_free: bool = True  # no generator syntax in the plain text outside code


def _render(source: str):
    post = parse_post(source.encode("utf-8"))
    return post, render_post(post)


def _plain_outside_code(rendered) -> str:
    return "".join(
        rendered.plain.text[b.start : b.end] for b in rendered.plain.blocks if b.kind != "code"
    )


LIQUID = [
    Case(
        "highlight",
        "本文です。\n\n{% highlight ruby linenos %}\ndef 挨拶\n  puts \"{{ name }}\"\nend\n{% endhighlight %}\n",
        html=('<pre data-kb="1"><code class="language-ruby">def 挨拶\n  puts &quot;{{ name }}&quot;\nend\n</code></pre>',),
        not_html=("highlight",),
    ),
    Case(
        "raw",
        "テンプレートでは {% raw %}{{ page.title }}{% endraw %} と書きます。\n",
        html=("{{ page.title }}",),
        plain=("テンプレートでは {{ page.title }} と書きます。",),
        syntax_free=False,
    ),
    Case(
        "comment",
        "前の段落。\n\n{% comment %}\nまだ書きかけの秘密のメモ\n{% endcomment %}\n\n後の段落。\n",
        not_html=("秘密", "comment"),
        plain=("前の段落。", "後の段落。"),
    ),
    Case(
        "post_url",
        "続きは[前回の記事]({% post_url 2010-07-21-tokyo-trip %})を読んでください。\n",
        html=('<span class="kk-post-link" role="link" tabindex="0" data-post="2010-07-21-tokyo-trip.md" title="2010-07-21-tokyo-trip.md"><ruby>前回',),
        plain=("続きは前回の記事を読んでください。",),
    ),
    Case(
        "link",
        "[設定の話]({% link _posts/2011-03-02-settings.md %})も参考に。\n",
        html=('title="2011-03-02-settings.md"',),
        plain=("設定の話も参考に。",),
    ),
    Case(
        "page_variables",
        "---\ntitle: 京都の紅葉\nauthor: 山田\n---\n『{{ page.title }}』は{{ page.author | escape }}が書いた。{{ site.url }}{{ page.nothing }}\n",
        plain=("『京都の紅葉』は山田が書いた。",),
    ),
    Case(
        "page_variable_markdown_stays_text",
        "---\ntitle: \"*星* <b>x</b>\"\n---\n題は{{ page.title }}。\n",
        not_html=("<em>", "<b>"),
        plain=("題は*星* <b>x</b>。",),
    ),
    Case(
        "unknown_tags_warned",
        "{% include toc.html %}\n\n{% assign n = 3 %}本文{{ n | plus: 1 }}です。{% if page.x %}条件{% endif %}\n",
        plain=("本文です。条件",),
        warnings=(
            "Kakikomi left out 5 Liquid tags it cannot show ({% include toc.html %}, {% assign n = 3 %}, "
            "{% if page.x %}, …).",
        ),
    ),
    Case(
        "one_tag_warned",
        "{% include footer.html %}\n\n本文。\n",
        warnings=("Kakikomi left out 1 Liquid tag it cannot show ({% include footer.html %}).",),
    ),
    Case(
        "code_untouched",
        "{% include a.html %}\n\n```liquid\n{% include keep.html %}\n{{ page.title }}\n```\n\n"
        "    {% raw %}indented{% endraw %}\n\n段落の `{% comment %}` と ``{{ x }}`` はそのまま。\n",
        html=(
            "<code class=\"language-liquid\">{% include keep.html %}\n{{ page.title }}\n</code>",
            "<code>{% raw %}indented{% endraw %}\n</code>",
            "<code>{% comment %}</code>",
            "<code>{{ x }}</code>",
        ),
        warnings=("Kakikomi left out 1 Liquid tag it cannot show ({% include a.html %}).",),
        syntax_free=False,
    ),
    Case(
        "raw_in_highlight",
        "{% highlight html %}\n{% raw %}<p>{{ content }}</p>{% endraw %}\n{% endhighlight %}\n",
        html=('<code class="language-html">&lt;p&gt;{{ content }}&lt;/p&gt;\n</code>',),
    ),
]


HUGO = [
    Case(
        "hugo_highlight",
        "説明。\n\n{{< highlight python >}}\ndef 計算():\n    return \"{{< x >}}\"\n{{< /highlight >}}\n",
        html=('<code class="language-python">def 計算():\n    return &quot;{{&lt; x &gt;}}&quot;\n</code>',),
    ),
    Case(
        "hugo_ref",
        "[前の話]({{< ref \"posts/2020-05-01-kyoto.md\" >}})と[次の話]({{< relref \"osaka\" >}})。\n",
        html=('title="2020-05-01-kyoto.md"', 'title="osaka.md"'),
        plain=("前の話と次の話。",),
    ),
    Case(
        "hugo_youtube",
        "動画です。\n\n{{< youtube w7Ft2ymGmfc >}}\n\n以上。\n",
        html=(
            '<div class="kk-embed kk-embed-youtube" data-kb="1"><span class="kk-embed-kind">YouTube</span> '
            '<a href="https://www.youtube.com/watch?v=w7Ft2ymGmfc" rel="noopener noreferrer nofollow">'
            "https://www.youtube.com/watch?v=w7Ft2ymGmfc</a></div>",
        ),
        not_html=("<iframe", "<img"),
        plain=("YouTube https://www.youtube.com/watch?v=w7Ft2ymGmfc\n",),
    ),
    Case(
        "hugo_figure",
        '{{< figure src="https://example.com/photo/yozora.jpg" caption="夏の夜空" >}}\n',
        html=('<span class="kk-embed-caption">夏の夜空</span> <a href="https://example.com/photo/yozora.jpg"',),
        plain=("Figure 夏の夜空 https://example.com/photo/yozora.jpg",),
    ),
    Case(
        "hugo_figure_relative",
        '{{< figure src="/images/map.png" title="地図" >}}\n',
        html=('<span class="kk-embed-address">/images/map.png</span>',),
        not_html=("<a ", "<img"),
    ),
    Case(
        "hugo_tweet",
        '{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}\n',
        html=('href="https://twitter.com/SanDiegoZoo/status/1453110110599868418"',),
    ),
    Case(
        "hugo_gist",
        "{{< gist spf13 7896402 >}}\n",
        html=('href="https://gist.github.com/spf13/7896402"',),
    ),
    Case(
        "hugo_unknown_paired",
        "{{< notice warning >}}\nここは**大事**です。\n{{< /notice >}}\n\n{{% aside %}}余談{{% /aside %}}\n\n{{< toc >}}\n",
        html=("<strong><ruby>大事",),
        plain=("ここは大事です。", "余談"),
        warnings=("Kakikomi left out 3 Hugo shortcodes it cannot show ({{< notice warning >}}, {{% aside %}}, {{< toc >}}).",),
    ),
    Case(
        "hugo_escaped_shortcode",
        "書き方は {{</* youtube abc */>}} です。\n",
        plain=("書き方は {{< youtube abc >}} です。",),
        syntax_free=False,
    ),
    Case(
        "hugo_in_code_untouched",
        "`{{< youtube abc >}}` の例:\n\n```\n{{< notice >}}\n```\n",
        html=("<code>{{&lt; youtube abc &gt;}}</code>", "<code>{{&lt; notice &gt;}}\n</code>"),
        not_html=("kk-embed",),
        syntax_free=False,
    ),
]


ZENN_QIITA_HATENA = [
    Case(
        "zenn_message",
        ":::message\nこの記事は**古い**情報です。\n:::\n",
        html=('<div class="kk-box kk-box-message" data-kb="0">\n<p>この<ruby>記事<rt>きじ</rt></ruby>は<strong>',),
        plain=("この記事は古い情報です。",),
    ),
    Case(
        "zenn_message_alert",
        ":::message alert\n本番環境では実行しないこと。\n:::\n",
        html=('<div class="kk-box kk-box-alert" data-kb="0">',),
    ),
    Case(
        "qiita_note",
        ":::note info\n補足です。\n:::\n\n:::note warn\n注意です。\n:::\n\n:::note alert\n警告です。\n:::\n",
        html=('<div class="kk-box kk-box-info" data-kb="0">', '<div class="kk-box kk-box-warn" data-kb="1">',
              '<div class="kk-box kk-box-alert" data-kb="2">'),
        plain=("補足です。", "注意です。", "警告です。"),
    ),
    Case(
        "zenn_details",
        ":::details 実行結果の全文\n長い出力です。\n\n```\n$ make 漢字\n```\n:::\n",
        html=(
            '<details class="kk-details" data-kb="0">\n<summary><ruby>実行<rt>じっこう</rt></ruby>',
            "<pre><code>$ make 漢字\n</code></pre>\n</details>",
        ),
        plain=("実行結果の全文\n長い出力です。",),
    ),
    Case(
        "zenn_nested_details",
        "::::details 外側\n:::message\n内側の箱\n:::\n::::\n",
        html=("<summary><ruby>外側<rt>そとがわ</rt></ruby></summary>\n<div class=\"kk-box kk-box-message\">",),
    ),
    Case(
        "zenn_embeds",
        "@[youtube](WRVsOCh907o)\n\n@[card](https://zenn.dev/zenn/articles/markdown-guide)\n\n"
        "@[tweet](https://twitter.com/jack/status/20)\n",
        html=(
            'class="kk-embed kk-embed-youtube" data-kb="0"><span class="kk-embed-kind">YouTube</span> '
            '<a href="https://www.youtube.com/watch?v=WRVsOCh907o"',
            '<a href="https://zenn.dev/zenn/articles/markdown-guide" rel="noopener noreferrer nofollow">',
            'class="kk-embed kk-embed-tweet"',
        ),
        not_html=("<iframe", "<img", "@["),
        plain=("Link https://zenn.dev/zenn/articles/markdown-guide",),
    ),
    Case(
        "hatena_contents",
        "[:contents]\n\n## 準備\n\n本文。\n\n### 道具 `make`\n\n## まとめ\n",
        html=(
            '<nav class="kk-toc" data-kb="0">\n<ul>\n<li class="kk-toc-1"><a href="#準備">準備</a></li>\n'
            '<li class="kk-toc-2"><a href="#道具-make">道具 make</a></li>\n'
            '<li class="kk-toc-1"><a href="#まとめ">まとめ</a></li>\n</ul>\n</nav>',
            '<h2 id="準備"',
        ),
        not_html=("[:contents]",),
    ),
    Case(
        "kramdown_toc",
        "* TOC\n{:toc}\n\n## 背景\n\n## 結論\n",
        html=('<nav class="kk-toc" data-kb="0">', '<a href="#背景">背景</a>', '<a href="#結論">結論</a>'),
        not_html=("TOC", "{:"),
    ),
    Case(
        "kramdown_attribute_lists",
        "## 設定 {#settings}\n{: .no_toc}\n\n大事な段落。\n{: .notice--warning}\n\n"
        "もう一つ {:.small}\n\n![図](https://example.com/a.png){: .align-center}\n",
        plain=("設定\n大事な段落。\nもう一つ",),
        not_html=("{:", "{#", "notice", "align-center"),
    ),
    Case(
        "emoji",
        "今日は :santa: が来た :+1: 。集合は 10:30:00 、:not_an_emoji_name: はそのまま。\n\n`:santa:` と\n\n```\n:tada:\n```\n",
        html=("</rt></ruby>は 🎅 が", "た 👍 。", "10:30:00", ":not_an_emoji_name:", "<code>:santa:</code>", "<code>:tada:\n</code>"),
    ),
]


GITHUB_AND_MATH = [
    Case(
        "github_note",
        "> [!NOTE]\n> 設定は**再起動後**に反映されます。\n",
        html=(
            '<div class="kk-box kk-alert kk-alert-note" data-kb="0">\n<p class="kk-box-title">Note</p>\n'
            "<p><ruby>設定<rt>せってい</rt></ruby>は<strong>",
        ),
        not_html=("[!", "<blockquote"),
        plain=("Note\n設定は再起動後に反映されます。",),
    ),
    Case(
        "github_warning_two_paragraphs",
        "> [!WARNING]\n> 古い版では動きません。\n>\n> 更新してください。\n\n> 普通の引用です。\n",
        html=('<div class="kk-box kk-alert kk-alert-warning" data-kb="0">', '<blockquote data-kb="1">'),
        plain=("Warning\n古い版では動きません。\n更新してください。",),
    ),
    Case(
        "github_alert_kinds",
        "> [!TIP]\n> a\n\n> [!important]\n> b\n\n> [!CAUTION]\n> c\n",
        html=("kk-alert-tip", "kk-alert-important", "kk-alert-caution", ">Important</p>"),
    ),
    Case(
        "math_inline",
        "質量は $E = mc^2$ と $\\frac{a}{b} \\\\ c$ で表す。値段は $5 から $10 です。\n",
        html=(
            '<span class="kk-math">E = mc^2</span>',
            '<span class="kk-math">\\frac{a}{b} \\\\ c</span>',
            "は $5 から $10 です。",
        ),
        plain=("\\frac{a}{b} \\\\ c",),
    ),
    Case(
        "math_block",
        "$$\n\\sum_{k=1}^{n} 項_k \\\\ \\text{合計}\n$$\n",
        html=('<div class="kk-math kk-math-block" data-kb="0">\\sum_{k=1}^{n} 項_k \\\\ \\text{合計}</div>',),
        not_html=("<ruby>",),
    ),
]


CJK_EMPHASIS = [
    Case(
        "cjk_emphasis_after_bracket",
        "彼は**「重要」**と言った。\n",
        html=("<strong>「<ruby>重要<rt>じゅうよう</rt></ruby>」</strong>と",),
        not_html=("**",),
    ),
    Case(
        "cjk_emphasis_after_question_mark",
        "**本当ですか？**と聞かれた。\n",
        html=("<strong><ruby>本当<rt>ほんとう</rt></ruby>ですか？</strong>と",),
    ),
    Case(
        "latin_emphasis_unchanged",
        "a **b** c, foo**bar**baz, x ** y ** z\n",
        html=("a <strong>b</strong> c, foo<strong>bar</strong>baz, x ** y ** z",),
        syntax_free=False,
    ),
]


ALL = LIQUID + HUGO + ZENN_QIITA_HATENA + GITHUB_AND_MATH + CJK_EMPHASIS


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_dialect_case(case: Case):
    post, rendered = _render(case.source)
    html = rendered.html
    for part in case.html:
        assert part in html
    for part in case.not_html:
        assert part not in html
    for part in case.plain:
        assert part in rendered.plain.text
    dialect_warnings = tuple(w for w in post.warnings if w.startswith("Kakikomi left out"))
    assert dialect_warnings == case.warnings
    if case.syntax_free:
        assert not _SYNTAX.search(_plain_outside_code(rendered)), _plain_outside_code(rendered)
    for code in _CODE.finditer(html):
        assert "<ruby>" not in code.group(0)
    assert check(html).problems == []


def test_plain_posts_are_left_alone():
    body = "普通の記事です。{ と } や {{ だけ。\n\n```\ncode\n```\n"
    assert preprocess(body, {}) == (body, [])


def test_private_use_marks_in_a_post_turn_the_stage_off():
    body = "\ue0f0 0\ue0f1 {% include x.html %}\n"
    assert preprocess(body, {}) == (body, [])


@pytest.mark.parametrize(
    "payload",
    [
        "{% highlight html %}\n<script>alert(1)</script>\n{% endhighlight %}\n",
        "{% raw %}<img src=x onerror=alert(1)>{% endraw %}\n",
        "[x]({% post_url javascript:alert(1) %})\n",
        "---\ntitle: '<script>alert(1)</script>'\n---\n{{ page.title }}\n",
        "{% comment %}<iframe src='https://a.example/'>{% endcomment %}後文\n",
        '{{< figure src="javascript:alert(1)" caption="<script>x</script>" >}}\n',
        '{{< youtube "\\"><script>alert(1)</script>" >}}\n',
        "{{< notice >}}\n<img src=x onerror=alert(1)>\n{{< /notice >}}\n",
        '@[card](javascript:alert(1) "<b onclick=x>")\n',
        "@[tweet](data:text/html,x)\n",
        ":::message\n<script>alert(1)</script><iframe src=\"https://a.example/\"></iframe>\n:::\n",
        ":::note warn\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n:::\n",
        '::::message alert" onclick="x\n本文\n::::\n',
        "[:contents]\n\n## <img src=x onerror=alert(1)>\n\n## \"><script>x</script>\n",
        ":santa:<script>:tada:</script>\n",
        "> [!NOTE]\n> <script>alert(1)</script> [x](javascript:alert(1))\n",
        "$<img src=x onerror=alert(1)>$ and $$<script>x</script>$$\n",
    ],
)
def test_hostile_input_stays_inert(payload: str):
    _post, rendered = _render(payload)
    result = check(rendered.html)
    assert not result.problems, result.problems


def test_details_are_inert_too():
    """A :::details title full of markup is text: the box is the renderer's own, with no open or handler."""
    _post, rendered = _render(':::details <img src=x onerror=alert(1)>" open ontoggle="x\n<script>y</script>\n:::\n')
    problems = check(rendered.html).problems
    assert problems == [], problems
    assert '<summary><span class="kk-image" role="img" aria-label="x" data-alt="" data-src="x"></span>&quot; open ontoggle=&quot;x</summary>' in rendered.html
    assert "onerror" not in rendered.html and "<details open" not in rendered.html and "y" not in rendered.plain.text


def test_many_unclosed_backticks_stay_fast():
    body = "{% include x %}\n" + "`a " * 50_000 + "\n"
    out, _warnings = preprocess(body, {})
    assert out.endswith("`a \n")


def test_a_plain_text_shows_line_for_line_as_written(tmp_path):
    """A .txt that is not Markdown: lines, indentation and punctuation as written, nothing read as
    Markdown (no code block from indentation, no heading from #, no list from -), ruby marks kept."""
    from app.core.posts.post import load_post
    from app.core.posts.render import RenderOptions, render_post
    from app.core.reading.furigana_mode import FuriganaMode

    path = tmp_path / "history.txt"
    path.write_bytes(
        "更新履歴\n\n2006/09/06 修正\n    - 字下げした行 *星* と #番号\n・一覧の行\n\n｜東雲《しののめ》の空。\n".encode("cp932")
    )
    post = load_post(path)
    rendered = render_post(post, RenderOptions(mode=FuriganaMode("off")))
    assert post.title == "更新履歴"
    assert "<pre" not in rendered.html and "<ul" not in rendered.html and "<h1" not in rendered.html and "<em" not in rendered.html
    assert rendered.plain.text.startswith("2006/09/06 修正\n\u00a0\u00a0\u00a0\u00a0- 字下げした行 *星* と #番号\n・一覧の行\n")
    assert "<ruby>東雲<rt>しののめ</rt></ruby>" in rendered.html


def test_a_txt_written_in_markdown_stays_markdown(tmp_path):
    from app.core.posts.post import load_post

    path = tmp_path / "notes.txt"
    path.write_text("# 見出し\n\n**太字**と[リンク](https://example.com/)。\n\n```\ncode\n```\n", encoding="utf-8")
    assert load_post(path).body.startswith("**太字**")  # the # heading became the title
