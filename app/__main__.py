"""Start Kakikomi: a headless command (see app.cli) or the reader on a post.

`kakikomi` alone opens the bundled sample post; `kakikomi FILE` opens FILE. Until the desktop
window exists, "opening" renders the post to an HTML page in the cache folder and says where.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from app import cli


def open_post(path: Path) -> int:
    """Render `path` to a page in the cache folder and print its location."""
    from app.core.paths import cache_dir

    out_dir = cache_dir() / "pages"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"kakikomi: could not create {out_dir}: {exc.strerror or exc}.", file=sys.stderr)
        return cli.EXIT_USER_ERROR
    out = out_dir / f"{path.stem}.html"
    code = cli.run(["render", str(path), "-o", str(out)])
    if code == cli.EXIT_OK:
        print(f"Rendered {path.name} with furigana to {out}")
        print(f"Open it in a browser: file://{out}")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] == "open" and len(args) == 2) or (len(args) == 1 and not args[0].startswith("-") and args[0] not in cli.COMMANDS):
        from app.core.paths import sample_post_path

        target = Path(args[-1]) if args else sample_post_path()
        return open_post(target)
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
