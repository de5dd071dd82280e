"""Fonts for the window's own widgets (the reader's page brings its fonts in its CSS)."""

from __future__ import annotations

# UI fonts that draw Japanese: the first one found leads the font list, so list rows are sized
# for Japanese lines (a Latin default measures them too short and Qt cuts them off).
CJK_UI_FAMILIES = ("Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic UI", "Meiryo UI", "Source Han Sans JP")


def with_cjk_family(font):
    """`font` with the first installed Japanese UI family in front of its own families."""
    from PySide6.QtGui import QFontDatabase

    installed = set(QFontDatabase.families())
    for family in CJK_UI_FAMILIES:
        if family in installed:
            font.setFamilies([family, *font.families()])
            break
    return font
