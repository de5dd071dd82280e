"""The learner's window, for the README gallery: the sample post with some words known and some
being learnt, furigana over unknown words only, new and learning words underlined, the vocabulary
panel open and the word popup on a word; once in English and once in Japanese (offscreen, a
throw-away library). The popup is a window of its own: it is drawn into the window's picture where
it stands.

    .venv/bin/python docs/screenshots/learner.py OUT_FOLDER
"""

from __future__ import annotations

import argparse
from pathlib import Path

# Words marked known and learning before the pictures (dictionary forms, as the popup names them).
KNOWN = ("今日", "話", "人", "会社", "大きい", "年", "お金", "言う", "為る", "有る", "成る", "居る", "事", "此の", "其の", "時")
LEARNING = ("投資", "半導体", "設備", "兆")
POPUP_WORD = "投資"
POPUP_AT = (360, 260)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    args = parser.parse_args()
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter
    from sample_window import application, sample_window, wait

    from app.core.library import actions as library
    from app.core.settings import Settings
    from app.ui.i18n import install_translators

    def mark_words(store, _post_id: int) -> None:
        library.set_word_statuses(store, KNOWN, "known")
        library.set_word_statuses(store, LEARNING, "learning")

    out = Path(args.folder)
    out.mkdir(parents=True, exist_ok=True)
    app = application("en")
    made = []
    for language in ("en", "ja"):
        install_translators(app, language)
        settings = Settings(theme="light", furigana="unknown", underline_words=True, language=language)
        with sample_window(settings, (1400, 860), mark_words) as (window, store, post_id):
            window.vocabulary.show()
            wait(1500)  # the underlines come from a worker, the panel's glosses on first showing
            text = store.post(post_id).text
            # As a click on the word would: its offset, and where the popup goes (CSS pixels).
            window.reader.bridge.wordActivated.emit(text.index(POPUP_WORD), *POPUP_AT)
            wait(800)
            picture = window.grab()
            popup = window.word_popup
            if popup.isVisible():
                painter = QPainter(picture)
                painter.drawPixmap(window.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
                painter.end()
            target = out / f"learner-{language}.png"
            picture.save(str(target))
            made.append(target)
            popup.close()
    for target in made:
        print(target)


if __name__ == "__main__":
    main()
