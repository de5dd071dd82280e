"""Links between posts: which post of the library a link in a post points to.

The renderer turns a relative link to a post file (`[前回](2010-07-21-x.md)`, Jekyll's
`{% post_url %}`, Hugo's ref/relref, `../posts/a.md#sec`) into a post link (see
app.core.posts.rawhtml.post_link); the reader asks here which post it names. Nothing is read
from disk: the library's own records answer.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from app.core.posts.webpage import source_url
from app.core.store import PostRecord, Store

# Jekyll's post names: 2010-07-21-slug.md; post_url names a post by its name without the suffix.
_DATE_PREFIX = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}-")


def linked_post(store: Store, current: PostRecord | None, link: str) -> PostRecord | None:
    """The post `link` (a post link's target, relative to the current post) points to, or None.

    First the post whose source file is the link resolved against the current post's folder
    (`..` allowed); then, if there is none, the one post whose file name matches the link's
    (with or without its date prefix and its suffix). Several such posts: None (no guess).
    """
    link = link.strip().split("#", 1)[0]
    if not link or "\0" in link:
        return None
    if current is not None:
        for candidate in _beside(current.source_path, link):
            if (found := store.post_by_path(candidate)) is not None:
                return found
    wanted = _link_names(link)
    if not wanted:
        return None
    matches = [post for post in store.posts() if _post_names(post.source_path) & wanted]
    return matches[0] if len(matches) == 1 else None


def _beside(source: str, link: str) -> list[str]:
    """The paths (or addresses) `link` names relative to the post at `source`."""
    url = source_url(source)
    if url is not None:
        return [urljoin(url, link)]
    relative = unquote(link) if "%" in link else link
    folder = Path(source).parent
    joined = os.path.normpath(folder / relative)
    candidates = [joined]
    try:
        resolved = str((folder / relative).resolve())  # a folder that is a symbolic link
    except (OSError, RuntimeError, ValueError):
        resolved = joined
    if resolved != joined:
        candidates.append(resolved)
    return candidates


def _link_names(link: str) -> set[str]:
    """The link's file name and that name without its suffix (post_url's slug, as written)."""
    name = PurePosixPath(unquote(link).replace("\\", "/")).name
    if not name or name in (".", ".."):
        return set()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return {name, stem}


def _post_names(source: str) -> set[str]:
    """A post's file name, with and without its date prefix and its suffix."""
    url = source_url(source)
    path = urlsplit(url).path if url is not None else source
    name = PurePosixPath(path.replace("\\", "/")).name
    if not name:
        return set()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    names = {name, stem}
    names |= {_DATE_PREFIX.sub("", n, count=1) for n in names}
    return {n for n in names if n}


__all__ = ["linked_post"]
