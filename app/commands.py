"""The names of the command-line commands, apart from the commands themselves: `kakikomi FILE`
must know a file from a command without loading all of them (the window starts faster)."""

COMMANDS = frozenset(
    {
        "info", "render", "furigana", "screenshot", "open", "import", "list", "annotate", "annotations", "search",
        "export", "import-annotations", "amounts", "claims", "claim-status", "claim-set", "lookup",
        "words", "word-status", "anki",
    }
)
