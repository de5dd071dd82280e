"""Help › About credits every bundled component, the dictionaries too (JMdict and KANJIDIC2)."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser

from app.ui.about import AboutDialog


def test_the_about_box_credits_jmdict_and_kanjidic2(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    [licences] = dialog.findChildren(QTextBrowser)
    text, html = licences.toPlainText(), licences.toHtml()
    assert "JMdict and KANJIDIC2 (EDRDG)" in text and "CC BY-SA 4.0" in text
    assert "https://www.edrdg.org/edrdg/licence.html" in html
    assert "UniDic" in text and "MeCab" in text  # next to the other bundled components
