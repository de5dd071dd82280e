"""The library sidebar: search, a tag/category filter, and the posts with their progress."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.core.store import PostRecord, Store, StoreError
from app.lazy import lazy_module
from app.ui.plain import plain, plain_label

search = lazy_module("app.core.library.search")

POST_ID = Qt.ItemDataRole.UserRole
OFFSET = Qt.ItemDataRole.UserRole + 1


class LibraryPanel(QWidget):
    """Posts newest first (title, date, tags, highlights, how far read); search results replace
    them while the search field has text. `postActivated(post id, offset or -1)`."""

    postActivated = Signal(int, int)

    def __init__(self, store: Store | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.search_field = QLineEdit(placeholderText=self.tr("Search posts, quotes, notes, tags…"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.returnPressed.connect(self.search)
        self.search_field.textChanged.connect(lambda text: self.refresh() if not text.strip() else None)
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
        """List the library's posts (through the filter), unless a search is showing."""
        if self.search_field.text().strip():
            return
        try:
            all_posts = self.store.posts()
        except StoreError as exc:  # a library edited outside Kakikomi: say so, the window goes on
            self.posts.clear()
            self._show_empty(str(exc))
            return
        self._fill_filters(all_posts)
        chosen = self.filter_box.currentData()
        shown = [p for p in all_posts if chosen is None or chosen[1] in (p.tags if chosen[0] == "tag" else p.categories)]
        self.posts.clear()
        for post in shown:
            self.posts.addItem(self._item(post))
        self._show_empty(
            self.tr("No posts yet. Open a post or a folder of posts (File › Open), or drop files here.")
            if not all_posts
            else self.tr("No post has this tag.") if not shown else ""
        )

    def update_post(self, post: PostRecord) -> None:
        """Show one post's new counts and progress in its row, without listing the library again
        (a highlight made in a library of ten thousand posts changes one row)."""
        if self.search_field.text().strip():
            return
        for row in range(self.posts.count()):
            if self.posts.item(row).data(POST_ID) == post.id:
                self.posts.takeItem(row)
                self.posts.insertItem(row, self._item(post))
                return

    def _item(self, post: PostRecord) -> QListWidgetItem:
        details = [(post.date or "")[:10]]
        if post.tags:
            details.append(" ".join(f"#{t}" for t in post.tags[:4]))
        details.append(self.tr("%n highlight(s)", "", post.highlight_count))
        if post.length and post.reading_offset:
            details.append(self.tr("%1% read").replace("%1", str(min(100, round(100 * post.reading_offset / post.length)))))
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

    def _show_empty(self, message: str) -> None:
        self.empty.setText(message)
        self.empty.setVisible(bool(message))

    # --- search -----------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Put the cursor in the search field, its text selected (Ctrl+Shift+F)."""
        self.search_field.setFocus()
        self.search_field.selectAll()

    def search(self) -> None:
        """Show the search results for the field's text; each jumps to its place in the post."""
        query = self.search_field.text().strip()
        if not query:
            self.refresh()
            return
        try:
            hits = search.search(self.store, query)
        except ValueError:
            return
        self.posts.clear()
        kinds = {"title": self.tr("title"), "text": self.tr("text"), "quote": self.tr("highlight"), "note": self.tr("note"), "tag": self.tr("tag")}
        for hit in hits:
            item = QListWidgetItem(f"{hit.title}  [{kinds.get(hit.kind, hit.kind)}]\n{hit.marked}")
            item.setData(POST_ID, hit.post_id)
            item.setData(OFFSET, -1 if hit.offset is None else hit.offset)
            self.posts.addItem(item)
        self._show_empty("" if hits else self.tr("Nothing found for “%1”.").replace("%1", query))

    def _activate(self, item: QListWidgetItem) -> None:
        post_id = item.data(POST_ID)
        if post_id is not None:
            self.postActivated.emit(int(post_id), int(item.data(OFFSET)))
