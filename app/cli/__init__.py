"""The headless commands: `kakikomi info|render|furigana|import|search|claims ...`. Core only, no Qt.

`main` builds the parser and runs a command (`app.cli.main.run`); `common` holds what every command shares; the post
commands live in `main`, the library's in `library`, the claims' in `claims`.

Conventions scripts rely on: exit 0 on success; exit 2 with one line on stderr for a user error
(a file that cannot be opened, a bad option); JSON on stdout is UTF-8; never a traceback.
"""
