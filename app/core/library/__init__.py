"""What a reader does with the library, on top of the store: every user action is one function and
one transaction (`actions`), which also refreshes what is derived from highlights (search, claims).
Here too: full-text search (`search`), opening a post for reading (`opening`), exports to Markdown,
CSV and JSON and their import (`export`, `webanno`)."""
