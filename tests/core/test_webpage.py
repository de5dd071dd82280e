"""Web pages as posts (app.core.posts.webpage): saved .html/.htm files, and `kakikomi import URL`
against a local HTTP server on 127.0.0.1 (no other network is used)."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.core.library import actions as library
from app.core.library.opening import open_post
from app.core.posts.post import POST_SUFFIXES, PostError, load_post, parse_post
from app.core.posts.render import RenderOptions, render_post
from app.core.posts.webpage import cached_page, source_url
from app.core.reading.furigana_mode import FuriganaMode
from app.core.store import open_store

REPO_ROOT = Path(__file__).resolve().parents[2]

ARTICLE = """
<article>
  <h1>AIチップへの投資</h1>
  <p>日本の会社は<a href="https://example.com/chips">半導体</a>に720億ドルを投じると発表した。これは大きな投資である。</p>
  <h2>背景</h2>
  <ul><li>一つ目の理由</li><li>二つ目の理由</li></ul>
  <table><tr><th>会社</th><th>金額</th></tr><tr><td>NVIDIA</td><td>100億ドル</td></tr></table>
  <pre><code>total = 720
print(total)</code></pre>
  <p>工場の完成は再来年の予定だと担当者は話した。地元では期待の声が多い。</p>
</article>
"""


def page(charset: str | None = "utf-8", *, head: str = "", body: str = ARTICLE, title: str = "AIチップへの投資 | テストブログ") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<!DOCTYPE html><html><head>{meta}<title>{title}</title>{head}</head><body>{body}</body></html>"


BOILERPLATE = """
<header><nav><a href="/">ホーム</a> <a href="/about">NAVMENU会社概要</a></nav></header>
<div class="ad sponsored">ADVERT今すぐ購入</div>
<aside class="sidebar"><h3>人気の記事</h3><ul><li><a href="/a">SIDEBAR関連記事</a></li></ul></aside>
<main>{article}</main>
<footer><p>FOOTERTEXT Copyright 2024 テストブログ</p></footer>
""".format(article=ARTICLE)

ACTIVE = """
<style>body {{ color: red }} .STYLETEXT {{ }}</style>
<script>var secret = "SCRIPTTEXT";</script>
<main>{article}
<iframe src="https://evil.example/">IFRAMETEXT</iframe>
<form action="/x"><label>FORMLABEL</label><input value="FORMVALUE"><button>FORMBUTTON</button></form>
<noscript>NOSCRIPTTEXT</noscript>
<script>document.write("SCRIPT2TEXT")</script></main>
""".format(article=ARTICLE)

METADATA = (
    '<meta name="author" content="山田太郎">'
    '<meta property="og:title" content="AIチップへの投資">'
    '<meta property="article:published_time" content="2024-03-05T09:00:00+09:00">'
    '<meta name="description" content="半導体への投資の話">'
)

PAGES = [
    # name, bytes, title, date, author, encoding, absent
    ("utf8", page().encode("utf-8"), "AIチップへの投資", None, None, "utf-8", ()),
    ("shift_jis", page("Shift_JIS").encode("cp932"), "AIチップへの投資", None, None, "cp932", ()),
    ("euc_jp_meta", page("EUC-JP").encode("euc_jp"), "AIチップへの投資", None, None, "euc_jp", ()),
    ("euc_jp_undeclared", page(None).encode("euc_jp"), "AIチップへの投資", None, None, "euc", ()),
    ("boilerplate", page(body=BOILERPLATE).encode(), "AIチップへの投資", None, None, "utf-8",
     ("NAVMENU", "ADVERT", "SIDEBAR", "FOOTERTEXT")),
    ("active", page(body=ACTIVE).encode(), "AIチップへの投資", None, None, "utf-8",
     ("STYLETEXT", "SCRIPTTEXT", "SCRIPT2TEXT", "IFRAMETEXT", "FORMLABEL", "FORMVALUE", "FORMBUTTON", "NOSCRIPTTEXT",
      "secret", "color: red")),
    ("metadata", page(head=METADATA).encode(), "AIチップへの投資", "2024-03-05T09:00:00+09:00", "山田太郎", "utf-8", ()),
    # A date in the text is not the page's date (a changelog's title, say); JSON-LD's is.
    ("date_in_text", page(body="<main><h2>変更履歴(2015/2/22～)</h2><p>2017年5月2日に更新しました。</p>" + ARTICLE + "</main>").encode(),
     "AIチップへの投資", None, None, "utf-8", ()),
    ("json_ld", page(head='<script type="application/ld+json">{"@graph": [{"@type": "BlogPosting", '
                          '"datePublished": "2023-11-02"}]}</script>').encode(), "AIチップへの投資", "2023-11-02", None, "utf-8", ()),
]


def plain_text(post) -> str:
    return render_post(post, RenderOptions(mode=FuriganaMode("off"))).plain.text


@pytest.mark.parametrize(("name", "data", "title", "date", "author", "encoding", "absent"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_open_as_posts(tmp_path, name, data, title, date, author, encoding, absent):
    path = tmp_path / f"{name}.html"
    path.write_bytes(data)
    post = load_post(path)
    assert post.title == title
    assert post.date == date
    assert post.author == author
    assert post.encoding.replace("-", "_").startswith(encoding.replace("-", "_"))
    assert post.front_matter == {} and post.front_matter_format is None
    assert post.source_path == path
    text = plain_text(post)
    for sentence in ("720億ドルを投じる", "工場の完成は再来年の予定", "一つ目の理由", "NVIDIA", "背景"):
        assert sentence in text, (sentence, text)
    assert "AIチップへの投資" not in text  # the heading is the title, not shown twice
    for word in absent:
        assert word not in text and word not in post.body, word
    if name == "boilerplate":
        assert "<" not in post.body.replace("<!--", "")  # the extractor's Markdown, not markup
    else:  # a page that is all article: its blocks as they are, through the renderer's allow-list
        assert "<ul>" in post.body and "<script" not in post.body and "<iframe" not in post.body


def test_markdown_keeps_structure(tmp_path):
    """A page with menus and sidebars: the extractor's Markdown of its article."""
    post = parse_post(page(body=BOILERPLATE).encode(), source_path=tmp_path / "x.htm")
    assert "## 背景" in post.body
    assert "- 一つ目の理由" in post.body
    assert "[半導体](https://example.com/chips)" in post.body
    assert "| 会社 | 金額 |" in post.body
    assert "```\ntotal = 720\nprint(total)\n```" in post.body


def test_a_page_that_is_all_article_keeps_every_block(tmp_path):
    """A page without menus or sidebars (an old hand-written page): every block as written, each
    its own block in the reader, through the allow-list, the title not shown twice."""
    loose = "<h1>AIチップへの投資</h1><div align=right>2024/3/5<br>山田</div><h2>背景</h2>前置きの文。<ul><li>短い</li></ul>"
    post = parse_post(page(body=loose + ARTICLE + "<p><a href='/a'>前へ</a> | <a href='/b'>次へ</a></p>").encode(), source_path=tmp_path / "x.htm")
    rendered = render_post(post, RenderOptions(mode=FuriganaMode("off")))
    assert post.date == "2024-03-05"  # a date alone on a line at the top, as the page shows it
    assert "<h2>背景</h2>" in rendered.html and "<li>一つ目の理由</li>" in rendered.html and "<li>短い</li>" in rendered.html
    assert "<table>" in rendered.html and "<pre><code>total = 720\nprint(total)</code></pre>" in rendered.html
    assert "前置きの文。" in rendered.plain.text and "前へ" not in rendered.plain.text
    assert rendered.plain.text.count("AIチップへの投資") == 1  # the second <h1> is not the page's first
    assert len(rendered.blocks) >= 8


def test_suffixes_and_other_files_unchanged(tmp_path):
    assert {".html", ".htm", ".md", ".markdown", ".txt"} <= set(POST_SUFFIXES)
    markdown = tmp_path / "post.md"
    markdown.write_text("# Title\n\n<p>raw html stays Markdown</p>\n", encoding="utf-8")
    assert load_post(markdown).body == "<p>raw html stays Markdown</p>\n"
    with pytest.raises(PostError, match="is not a post"):
        load_post(tmp_path / "page.pdf")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"   \n")
    with pytest.raises(PostError, match="empty"):
        load_post(empty)
    binary = tmp_path / "binary.html"
    binary.write_bytes(b"%PDF-1.4 \x00\x01")
    with pytest.raises(PostError):
        load_post(binary)


def test_folder_import_takes_pages(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.html").write_bytes(page().encode())
    (folder / "b.md").write_text("# B\n\n本文。\n", encoding="utf-8")
    with open_store(tmp_path / "lib.sqlite3") as store:
        report = library.import_paths(store, [folder], workers=0)
        assert len(report.added) == 2 and not report.errors


def test_url_sources_survive_path(tmp_path, monkeypatch):
    monkeypatch.setenv("KAKIKOMI_HOME", str(tmp_path))
    url = "https://example.com/blog/post.html"
    assert source_url(url) == url
    assert source_url(Path(url)) == url
    folder = "https://example.com/blog/"
    assert cached_page(folder) == cached_page(source_url(Path(folder)))  # Path() drops the last slash
    assert cached_page(url).is_relative_to(tmp_path)
    assert source_url("/home/me/post.md") is None


# --- kakikomi import URL -------------------------------------------------------------------------

BIG = 21 * 1024 * 1024


class Handler(http.server.BaseHTTPRequestHandler):
    pages: dict[str, bytes] = {}

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        if self.path == "/slow.html":
            time.sleep(5)  # never answers within the test's timeout
            return
        if self.path == "/big.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the cap must stop the reading
            chunk = b"<p>" + b"x" * (1024 * 1024) + b"</p>"
            try:
                for _ in range(BIG // len(chunk) + 2):
                    self.wfile.write(chunk)
            except OSError:
                pass
            return
        if self.path == "/paper.pdf.html":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.end_headers()
            self.wfile.write(b"%PDF-1.4\n")
            return
        data = self.pages.get(self.path)
        if data is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    Handler.pages = {"/page.html": page(head=METADATA).encode()}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "KAKIKOMI_HOME": str(home), "KAKIKOMI_FETCH_TIMEOUT": "1"}
    environment.pop("http_proxy", None), environment.pop("HTTP_PROXY", None)
    environment["no_proxy"] = environment["NO_PROXY"] = "127.0.0.1"
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO_ROOT, env=environment, capture_output=True,
                          text=True, encoding="utf-8", timeout=60, check=False)


def ok(result):
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_import_url_search_open_and_reimport(tmp_path, server, monkeypatch):
    home = tmp_path / "home"
    url = f"{server}/page.html"
    added = json.loads(ok(run("import", url, "--json", home=home)))
    assert len(added["added"]) == 1 and not added["errors"]
    post_id = added["added"][0]
    listed = json.loads(ok(run("list", "--json", home=home)))
    assert listed[0]["source_path"] == url and listed[0]["title"] == "AIチップへの投資"
    hits = json.loads(ok(run("search", "再来年", "--json", home=home)))
    assert [h["post"] for h in hits] == [post_id]
    ok(run("annotate", url, "--quote", "720億ドル", "--tag", "investment", home=home))
    assert json.loads(ok(run("annotations", url, "--json", home=home)))[0]["quote"] == "720億ドル"
    info = json.loads(ok(run("info", url, home=home)))  # the saved copy, read as a post
    assert info["title"] == "AIチップへの投資" and info["date"] == "2024-03-05T09:00:00+09:00" and info["author"] == "山田太郎"

    # Opening reads the copy kept beside the library: the server is not asked again.
    monkeypatch.setenv("KAKIKOMI_HOME", str(home))
    assert cached_page(url).is_file()
    Handler.pages = {}
    with open_store(home / "library.sqlite3") as store:
        opened = open_post(store, post_id, FuriganaMode("off"))
        assert "720億ドル" in opened.rendered.plain.text
        assert opened.record.source_path == url

    # Importing again fetches again: the post is updated, its highlight moves with its text.
    Handler.pages = {"/page.html": page(head=METADATA, body=ARTICLE.replace("<p>日本の会社", "<p>前書きを足した。</p><p>日本の会社")).encode()}
    again = json.loads(ok(run("import", url, "--json", home=home)))
    assert again["updated"] == [post_id] and again["reanchored"] == 1 and again["orphaned"] == 0
    assert json.loads(ok(run("annotations", url, "--json", home=home)))[0]["quote"] == "720億ドル"
    assert json.loads(ok(run("import", url, "--json", home=home)))["unchanged"] == [post_id]


@pytest.mark.parametrize(("path", "phrase"), [
    ("/missing.html", "the server answered 404"),
    ("/big.html", "larger than 20 MB"),
    ("/paper.pdf.html", "is not a web page (the server sent application/pdf)"),
    ("/slow.html", "did not answer within 1 second"),
])
def test_import_url_errors(tmp_path, server, path, phrase):
    started = time.monotonic()
    result = run("import", server + path, home=tmp_path / "home")
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kakikomi: "), result.stderr
    assert phrase in lines[0], lines[0]
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 30


def test_import_refused_connection(tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("import", f"http://127.0.0.1:{port}/x.html", home=tmp_path / "home")
    assert result.returncode == 2
    assert "could not be fetched" in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(("head", "h1", "title"), [
    ("CaboCha: Yet Another Dependency Analyzer", "CaboCha/南瓜: Yet Another Dependency Analyzer", "CaboCha: Yet Another Dependency Analyzer"),
    ("AIチップへの投資 | テストブログ", "AIチップへの投資", "AIチップへの投資"),  # the site's name is not the post's
])
def test_the_pages_own_title_unless_the_heading_is_it_without_the_sites_name(tmp_path, head, h1, title):
    path = tmp_path / "page.html"
    path.write_text(f"<html><head><title>{head}</title></head><body><h1>{h1}</h1><p>本文の段落です。</p></body></html>", encoding="utf-8")
    assert load_post(path).title == title
