"""Untrusted text (a post's title or sentences, a highlight's quote, note or tag, a file name, an
error message naming any of them) for Qt widgets: always shown as written, never as rich text.

Qt guesses: a tooltip, a QLabel left at Qt.AutoText, a QMessageBox, a QProgressDialog's label
or an item's tooltip renders its text as HTML when Qt.mightBeRichText says it looks like some.
`<img width=30000 height=30000 src=/local/file.png>` in a sentence then makes a tooltip of
30000 pixels and loads a local file. `plain()` is the one way such text reaches those widgets:
text Qt would take for rich text is handed over as rich text that shows it literally (escaped),
anything else as it is. Labels that only ever show untrusted text are made Qt.PlainText
(`plain_label`). Everything is also bounded in length and valid UTF-16 (an undecodable file
name's bytes are shown as \\xNN, which Qt would otherwise silently drop). A message of the core
(an error carrying a Message, a post's warning) is shown in the window's language.
"""

from __future__ import annotations

from PySide6.QtGui import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.core.common.messages import translate
from app.core.common.text import escape_surrogates
from app.ui.i18n import current_language

# Longer untrusted text is cut (a tooltip of a megabyte note is not readable anyway).
MAX_CHARS = 2000


def plain(text: object, limit: int = MAX_CHARS) -> str:
    """`text` for a widget that guesses rich text: shown exactly as written (cut at `limit`). An
    error or warning of the core (app.core.common.messages) is shown in the window's language."""
    value = escape_surrogates(translate(text, current_language()) if text is not None else "")
    if limit and len(value) > limit:
        value = value[:limit] + "…"
    if Qt.mightBeRichText(value):
        return Qt.convertFromPlainText(value, Qt.WhiteSpaceMode.WhiteSpaceNormal)
    return value


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows its text as plain text, whatever it holds."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(escape_surrogates(translate(text, current_language())))
    return label


def make_plain(*labels: QLabel) -> None:
    """Make existing labels plain-text labels."""
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)
