"""The library sidebar: search, a tag/category filter, and the posts with their progress.

Search runs as you type (a moment after the last key, SEARCH_DELAY_MS) and lists the results
under their post, several per post, each a snippet with the match in bold (SnippetDelegate: rich
text made only of escaped pieces of plain text). Opening one opens its post and marks the match
in the page (`matchActivated`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.core.common.messages import translate
from app.core.common.text import escape_surrogates
from app.core.store import PostRecord, Store, StoreError
from app.lazy import lazy_module
from app.ui.i18n import current_language
from app.ui.plain import plain, plain_label

search = lazy_module("app.core.library.search")
vocabulary = lazy_module("app.core.library.vocabulary")

POST_ID = Qt.ItemDataRole.UserRole
OFFSET = Qt.ItemDataRole.UserRole + 1
# A search result's parts, for the delegate: its post's title (on the first result of a post
# only), what matched (title, text, highlight…), the snippet and the match inside it.
RESULT_TITLE = Qt.ItemDataRole.UserRole + 2
RESULT_KIND = Qt.ItemDataRole.UserRole + 3
SNIPPET = Qt.ItemDataRole.UserRole + 4
SNIPPET_MATCH = Qt.ItemDataRole.UserRole + 5
# Where opening the result marks the match: ("text" or "title", start, end), or None.
MATCH = Qt.ItemDataRole.UserRole + 6

SEARCH_DELAY_MS = 200
SEARCH_LIMIT = 60  # results listed
SNIPPETS_PER_POST = 3


def result_html(title: str | None, kind: str, snippet: str, start: int, end: int, *, muted: bool = True) -> str:
    """A result as rich text built only from escaped plain text: the post's title (bold, when
    given), what matched (grey when `muted`), and the snippet with the match in bold."""
    parts = []
    if title:
        parts.append(f"<b>{html.escape(escape_surrogates(title))}</b><br>")
    style = " style='color: gray'" if muted else ""
    parts.append(f"<span{style}>{html.escape(kind)}</span>&nbsp; ")
    parts.append(html.escape(escape_surrogates(snippet[:start])))
    parts.append(f"<b><u>{html.escape(escape_surrogates(snippet[start:end]))}</u></b>")
    parts.append(html.escape(escape_surrogates(snippet[end:])))
    return "".join(parts)


class SnippetDelegate(QStyledItemDelegate):
    """Paints a search result (an item with SNIPPET data) as result_html; posts as usual."""

    def _document(self, index, option: QStyleOptionViewItem, width: int) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(3)
        match = index.data(SNIPPET_MATCH) or (0, 0)
        muted = not option.state & QStyle.StateFlag.State_Selected  # grey is unreadable on the selection
        document.setHtml(
            result_html(index.data(RESULT_TITLE), index.data(RESULT_KIND) or "", index.data(SNIPPET) or "", *match, muted=muted)
        )
        document.setTextWidth(max(60, width))
        return document

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        return view.viewport().width() - 8 if isinstance(view, QListView) else option.rect.width()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt override)
        if index.data(SNIPPET) is None:
            return super().sizeHint(option, index)
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        document = self._document(index, options, self._width(option))
        return QSize(int(document.idealWidth()), int(document.size().height()) + 2)

    def paint(self, painter, option, index) -> None:
        if index.data(SNIPPET) is None:
            super().paint(painter, option, index)
            return
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        document = self._document(index, options, options.rect.width())
        options.text = ""
        style = options.widget.style() if options.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, options, painter, options.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(options.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, options.palette.color(role))
        painter.save()
        painter.translate(options.rect.topLeft())
        painter.setClipRect(options.rect.translated(-options.rect.topLeft()))
        document.documentLayout().draw(painter, context)
        painter.restore()


class LibraryPanel(QWidget):
    """Posts newest first (title, date, tags, highlights, how far read, how much of it the
    reader knows: app.core.library.vocabulary.known_shares); search results replace
    them while the search field has text. `postActivated(post id, offset or -1)` for a post;
    `matchActivated(post id, "text" or "title", start, end)` for a search result to mark."""

    postActivated = Signal(int, int)
    matchActivated = Signal(int, str, int, int)

    def __init__(self, store: Store | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self._shares: dict[int, float | None] = {}  # post id -> share of its words known (None: no words)
        self._listed: dict[int, PostRecord] = {}  # the posts listed (not search results), by id
        self.search_field = QLineEdit(placeholderText=self.tr("Search posts, quotes, notes, tags…"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.returnPressed.connect(self._open_first_result)
        self.search_field.textChanged.connect(self._text_changed)
        self.search_field.installEventFilter(self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search)
        self.filter_box = QComboBox()
        self.filter_box.setToolTip(self.tr("Show only the posts with this tag or category"))
        self.filter_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.posts = QListWidget()
        self.posts.setWordWrap(True)
        self.posts.setResizeMode(QListView.ResizeMode.Adjust)
        # Japanese lines come from the CJK fallback font, taller than the size hint expects:
        # eliding would cut a two-line item down to its first line.
        self.posts.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.posts.setSpacing(2)
        self.posts.setAlternatingRowColors(True)
        self.posts.setItemDelegate(SnippetDelegate(self.posts))
        self.posts.itemActivated.connect(self._activate)
        self.posts.itemClicked.connect(self._activate)
        self.empty = plain_label()  # it repeats what was searched for
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.search_field)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.empty)
        layout.addWidget(self.posts)

    # --- the list ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """List the library's posts (through the filter); while the field has text, its search
        again (an import may have brought more to find)."""
        if self.search_field.text().strip():
            self.search()
            return
        try:
            all_posts = self.store.posts()
        except StoreError as exc:  # a library edited outside Kakikomi: say so, the window goes on
            self.posts.clear()
            self._show_empty(exc)
            return
        self._fill_filters(all_posts)
        chosen = self.filter_box.currentData()
        shown = [p for p in all_posts if chosen is None or chosen[1] in (p.tags if chosen[0] == "tag" else p.categories)]
        self._shares = self._known_shares()
        self.posts.clear()
        self._listed = {post.id: post for post in shown}
        for post in shown:
            self.posts.addItem(self._item(post))
        self._show_empty(
            self.tr("No posts yet. Open a post or a folder of posts (File › Open), or drop files here.")
            if not all_posts
            else self.tr("No post has this tag.") if not shown else ""
        )

    def update_post(self, post: PostRecord) -> None:
        """Show one post's new counts and progress in its row, without listing the library again
        (a highlight made in a library of ten thousand posts changes one row). While the list
        shows search results, the search runs again once edits pause: a highlight, note or tag
        made, changed or deleted may be found, or no longer be."""
        if self.search_field.text().strip():
            self._search_timer.start()
            return
        for row in range(self.posts.count()):
            if self.posts.item(row).data(POST_ID) == post.id:
                self._listed[post.id] = post
                self.posts.takeItem(row)
                self.posts.insertItem(row, self._item(post))
                return

    def refresh_shares(self) -> None:
        """Show each listed post's share of known words again (a word's status changed): one
        query, and only the rows whose figure changed are made again."""
        if self.store is None:
            return
        before, self._shares = self._shares, self._known_shares()
        if self.search_field.text().strip():
            return
        for row in range(self.posts.count()):
            post = self._listed.get(self.posts.item(row).data(POST_ID))
            if post is not None and self._shares.get(post.id) != before.get(post.id):
                current = self.posts.currentRow() == row
                self.posts.takeItem(row)
                self.posts.insertItem(row, self._item(post))
                if current:
                    self.posts.setCurrentRow(row)

    def _known_shares(self) -> dict[int, float | None]:
        try:
            return vocabulary.known_shares(self.store)
        except StoreError:  # the list shows without the figures; the list's own error says more
            return {}

    def known_share_text(self, post_id: int) -> str:
        """"72% known" for a post whose words the reader partly knows; "" when it has no words."""
        share = self._shares.get(post_id)
        if share is None:
            return ""
        return self.tr("%1% known").replace("%1", str(vocabulary.known_percent(share)))

    def _item(self, post: PostRecord) -> QListWidgetItem:
        details = [(post.date or "")[:10]]
        if post.tags:
            details.append(" ".join(f"#{t}" for t in post.tags[:4]))
        details.append(self.tr("%n highlight(s)", "", post.highlight_count))
        if post.length and post.reading_offset:
            details.append(self.tr("%1% read").replace("%1", str(min(100, round(100 * post.reading_offset / post.length)))))
        details.append(self.known_share_text(post.id))
        item = QListWidgetItem(f"{post.title}\n{'  ·  '.join(d for d in details if d)}")
        item.setToolTip(plain(post.source_path))
        item.setData(POST_ID, post.id)
        item.setData(OFFSET, -1)
        return item

    def _fill_filters(self, posts: list[PostRecord]) -> None:
        current = self.filter_box.currentData()
        tags = sorted({t for p in posts for t in p.tags}, key=str.casefold)
        categories = sorted({c for p in posts for c in p.categories}, key=str.casefold)
        wanted = [None] + [("tag", t) for t in tags] + [("category", c) for c in categories]
        if [self.filter_box.itemData(i) for i in range(self.filter_box.count())] == wanted:
            return
        self.filter_box.blockSignals(True)
        self.filter_box.clear()
        self.filter_box.addItem(self.tr("All posts"), None)
        for kind, name in wanted[1:]:
            label = f"#{name}" if kind == "tag" else self.tr("Category: %1").replace("%1", name)
            self.filter_box.addItem(label, (kind, name))
        index = self.filter_box.findData(current)
        self.filter_box.setCurrentIndex(max(0, index))
        self.filter_box.blockSignals(False)
        self.filter_box.setVisible(len(wanted) > 1)

    def _show_empty(self, message: object) -> None:
        """Say why the list is empty (an error of the core in the window's language)."""
        self.empty.setText(translate(message, current_language()))
        self.empty.setVisible(bool(message))

    # --- search -----------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Put the cursor in the search field, its text selected (Ctrl+Shift+F)."""
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _text_changed(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()  # again: the search runs once typing pauses
        else:
            self._search_timer.stop()
            self.refresh()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        # Down in the search field goes to the results, so they can be opened with Enter.
        if watched is self.search_field and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            if self.posts.count():
                self.posts.setFocus()
                self.posts.setCurrentRow(max(0, self.posts.currentRow()))
                return True
        return super().eventFilter(watched, event)

    def _open_first_result(self) -> None:
        """Enter in the search field: the search now (if the pause has not come yet), and its first result opened."""
        if self._search_timer.isActive():
            self.search()
        if self.search_field.text().strip() and self.posts.count():
            self._activate(self.posts.item(0))

    def _hits(self, query: str) -> list:
        return search.search(self.store, query, limit=SEARCH_LIMIT, per_post=SNIPPETS_PER_POST)

    def search(self) -> None:
        """Show the search results for the field's text, several under each post; each opens
        its post with the match marked."""
        self._search_timer.stop()
        query = self.search_field.text().strip()
        if not query:
            self.refresh()
            return
        if self.store is None:
            return
        try:
            hits = self._hits(query)
        except (ValueError, StoreError) as exc:
            self.posts.clear()
            self._show_empty(exc)
            return
        row = self.posts.currentRow()  # kept where it was when the search runs again
        self.posts.clear()
        kinds = {"title": self.tr("title"), "text": self.tr("text"), "quote": self.tr("highlight"), "note": self.tr("note"), "tag": self.tr("tag")}
        by_post: dict[int, list] = {}
        for hit in hits:  # best first; each post's results together, where its best one stands
            by_post.setdefault(hit.post_id, []).append(hit)
        for post_hits in by_post.values():
            for number, hit in enumerate(post_hits):
                self.posts.addItem(self._result_item(hit, kinds.get(hit.kind, hit.kind), first=number == 0))
        if row >= 0 and self.posts.count():
            self.posts.setCurrentRow(min(row, self.posts.count() - 1))
        self._show_empty("" if hits else self.tr("Nothing found for “%1”.").replace("%1", query))

    def _result_item(self, hit, kind: str, *, first: bool) -> QListWidgetItem:
        item = QListWidgetItem(f"{hit.title}\n{kind}: {hit.marked}" if first else f"{kind}: {hit.marked}")
        item.setData(POST_ID, hit.post_id)
        item.setData(OFFSET, -1 if hit.offset is None else hit.offset)
        item.setData(RESULT_TITLE, hit.title if first else None)
        item.setData(RESULT_KIND, kind)
        item.setData(SNIPPET, hit.snippet)
        item.setData(SNIPPET_MATCH, (hit.match_start, hit.match_end))
        item.setData(MATCH, self._match_place(hit))
        item.setToolTip(plain(hit.title))
        return item

    def _match_place(self, hit) -> tuple[str, int, int] | None:
        """Where opening `hit` marks it: the match in the text (a text or quote hit), the
        highlight a note or tag belongs to, the match in the title; None when not on the page."""
        matched = hit.snippet[hit.match_start : hit.match_end]
        if hit.offset is not None:
            return ("text", hit.offset, hit.offset + (hit.length or len(matched)))
        if hit.annotation_id is not None:
            try:
                annotation = self.store.annotation(hit.annotation_id)
            except StoreError:
                return None
            return None if annotation.orphan else ("text", annotation.start, annotation.end)
        if hit.kind == "title" and matched:
            at = hit.title.casefold().find(matched.casefold()) if len(hit.title.casefold()) == len(hit.title) else hit.title.find(matched)
            if at >= 0:
                return ("title", at, at + len(matched))
        return None

    def _activate(self, item: QListWidgetItem) -> None:
        post_id = item.data(POST_ID)
        if post_id is None:
            return
        place = item.data(MATCH)
        if place:
            where, start, end = place
            self.matchActivated.emit(int(post_id), where, int(start), int(end))
        else:
            self.postActivated.emit(int(post_id), int(item.data(OFFSET)))
