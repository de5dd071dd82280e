"""The sidebar's search and the notebook, for the README gallery: the sample post with a few
highlights (tags, notes, colours), a kana search typed into the sidebar (its results, the match
marked in the page), then View › Notebook…, each saved as a PNG (offscreen, a throw-away library).

    .venv/bin/python docs/screenshots/notes.py OUT_FOLDER [--query はんどうたい]
"""

from __future__ import annotations

import argparse
from pathlib import Path

# (quote, colour, tags, note) highlighted in the sample post.
HIGHLIGHTS = (
    ("あるSNS企業が一年で740億ドル近くをインフラにつぎ込んだ", "yellow", ["claim", "investment"], "Meta? check the annual report"),
    ("桁外れのお金", "pink", ["money"], ""),
    ("電気は三年待ち", "green", ["power"], "the real bottleneck"),
    ("町工場", "blue", ["supply-chain"], ""),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--query", default="はんどうたい")
    args = parser.parse_args()
    from sample_window import application, sample_window, wait

    from app.core.library import actions as library
    from app.core.settings import Settings

    def highlight(store, post_id: int) -> None:
        for quote, colour, tags, note in HIGHLIGHTS:
            library.annotate_quote(store, store.post(post_id), quote, color=colour, tags=tags, note=note)

    out = Path(args.folder)
    out.mkdir(parents=True, exist_ok=True)
    app = application("en")  # noqa: F841 - kept alive while the window lives
    with sample_window(Settings(theme="light"), (1280, 820), highlight) as (window, _store, _post_id):
        field = window.library_panel.search_field
        field.setFocus()
        field.insert(args.query)  # as typed: the results come after the pause
        wait(1500)
        panel = window.library_panel
        if panel.posts.count() > 1:
            panel._activate(panel.posts.item(1))  # a place in the text: the page marks the match
            wait(1500)
        window.grab().save(str(out / "search.png"))
        notebook = window.show_notebook()
        wait(1000)
        notebook.resize(1100, 420)
        wait(500)
        notebook.grab().save(str(out / "notebook.png"))
        notebook.close()
    print(out / "search.png")
    print(out / "notebook.png")


if __name__ == "__main__":
    main()
