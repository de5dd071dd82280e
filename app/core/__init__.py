"""Kakikomi's core: everything but the window, with no Qt.

Its folders are the stages a post goes through, and imports run one way, down this list:

- ``common``   – where files live, atomic writes, kana: small helpers every stage uses;
- ``reading``  – tokens, readings in context, reading rules, furigana modes, word information;
- ``posts``    – file -> Post -> blocks -> HTML page, and the one plain text highlights point into;
- ``store``    – the library file: schema, records, migrations and queries (the bottom of what is kept);
- ``claims``   – figures, companies and chips found in text; the claims table built from highlights;
- ``library``  – what a reader does: every user action as one transaction, with search, opening,
  export and import built on the store;
- ``settings`` – the reader's preferences (a JSON file beside the library).

docs/ARCHITECTURE.md draws the same picture and says where a new feature goes.
"""
