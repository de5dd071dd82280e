"""Fixtures for every test: counting how often posts are read from their files and rendered (tests of "read once, render once")."""

from __future__ import annotations

from collections import Counter

import pytest

from app.core.posts import post as post_module
from app.core.posts import render as render_module


@pytest.fixture
def counts(monkeypatch) -> Counter:
    """How often a file is read (parse_post: every load_post goes through it) and rendered
    (render_markdown: every render_post goes through it), in this process, from now on."""
    seen: Counter = Counter()
    real_parse, real_render = post_module.parse_post, render_module.render_markdown

    def parse(*args, **kwargs):
        seen["load"] += 1
        return real_parse(*args, **kwargs)

    def render(*args, **kwargs):
        seen["render"] += 1
        return real_render(*args, **kwargs)

    monkeypatch.setattr(post_module, "parse_post", parse)
    monkeypatch.setattr(render_module, "render_markdown", render)
    return seen
