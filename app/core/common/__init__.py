"""Small helpers every stage uses: where Kakikomi's files live (`paths`), writing a file whole or
not at all (`fileio`), and kana conversions (`kana`). Imports nothing else of the app."""
