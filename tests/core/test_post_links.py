"""app.core.library.post_links: which post of the library a link between posts opens (issue #14,
item 1: "a post_url to a post in the library opens that post in the reader").

Real SQLite libraries in tmp_path; the links are what the renderer puts in data-post.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.library import actions as library
from app.core.library.derived import open_library
from app.core.library.post_links import linked_post
from app.core.posts.post import parse_post
from app.core.posts.rawhtml import post_link
from app.core.posts.render import render_post


def _post(folder: Path, name: str, title: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\ntitle: {title}\n---\n\n{title}の本文です。\n", encoding="utf-8")
    return path


@pytest.fixture
def shelf(tmp_path: Path):
    posts = tmp_path / "blog" / "_posts"
    files = {
        "current": _post(posts, "2010-08-01-now.md", "今回"),
        "previous": _post(posts, "2010-07-21-x.md", "前回"),
        "markdown": _post(posts, "2011-01-02-long-name.markdown", "長い名前"),
        "about": _post(tmp_path / "blog" / "pages", "about.md", "紹介"),
        "twin_a": _post(tmp_path / "a", "2012-01-01-twin.md", "双子A"),
        "twin_b": _post(tmp_path / "b", "2013-01-01-twin.md", "双子B"),
        "sub": _post(posts / "sub", "note.md", "メモ"),
    }
    store = open_library(tmp_path / "lib.sqlite3")
    library.import_paths(store, list(files.values()))
    records = {key: store.post(str(path.resolve())) for key, path in files.items()}
    yield store, records
    store.close()


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("2010-07-21-x.md", "previous"),  # beside the current post
        ("./2010-07-21-x.md", "previous"),
        ("sub/note.md", "sub"),
        ("../pages/about.md", "about"),  # `..` allowed
        ("../../blog/pages/about.md", "about"),
        ("2010-07-21-x.md#section", "previous"),
        ("x.md", "previous"),  # Hugo's ref by name: the file's name without its date
        ("2011-01-02-long-name.md", "markdown"),  # post_url's slug + .md: the file is .markdown
        ("long-name.md", "markdown"),
        ("elsewhere/2010-07-21-x.md", "previous"),  # not there: the one post of that name
        ("about.md", "about"),
    ],
)
def test_a_link_finds_its_post(shelf, link, expected):
    store, records = shelf
    found = linked_post(store, records["current"], link)
    assert found is not None and found.id == records[expected].id


@pytest.mark.parametrize("link", ["2099-01-01-missing.md", "twin.md", "", "#top", "../nowhere/", "a\0b.md"])
def test_a_link_to_no_post_or_to_several_finds_none(shelf, link):
    """Missing, ambiguous (two posts named twin) or no file name at all: None, no guess."""
    store, records = shelf
    assert linked_post(store, records["current"], link) is None


def test_the_post_beside_wins_over_a_post_of_the_same_name_elsewhere(shelf):
    store, records = shelf
    assert linked_post(store, records["twin_a"], "2012-01-01-twin.md").id == records["twin_a"].id
    assert linked_post(store, records["twin_b"], "2013-01-01-twin.md").id == records["twin_b"].id
    # Not beside it, and named by two posts: none.
    assert linked_post(store, records["current"], "twin.md") is None


def test_a_percent_encoded_link_is_a_file_name(shelf, tmp_path: Path):
    store, records = shelf
    path = _post(tmp_path / "blog" / "_posts", "2010-09-09-日本語.md", "日本語")
    library.import_paths(store, [path])
    found = linked_post(store, records["current"], "2010-09-09-%E6%97%A5%E6%9C%AC%E8%AA%9E.md")
    assert found is not None and found.title == "日本語"


def test_without_a_current_post_the_name_still_finds_it(shelf):
    store, records = shelf
    assert linked_post(store, None, "2010-07-21-x.md").id == records["previous"].id


def test_what_the_renderer_writes_is_what_the_lookup_takes(shelf):
    """Jekyll's post_url and a relative link, through the renderer's data-post, open the posts."""
    store, records = shelf
    body = "[前回]({% post_url 2010-07-21-x %})と[紹介](../pages/about.md#top)。\n"
    rendered = render_post(parse_post(f"---\ntitle: t\n---\n\n{body}".encode(), source_path=Path("t.md")))
    targets = [part.split('"', 1)[0] for part in rendered.html.split('data-post="')[1:]]
    assert targets == ["2010-07-21-x.md", "../pages/about.md"]
    assert post_link("../pages/about.md#top") == "../pages/about.md"
    assert [linked_post(store, records["current"], t).id for t in targets] == [records["previous"].id, records["about"].id]
