"""MeCab through fugashi over unidic-lite: the one place a tagger is opened.

Every tagger is opened on unidic-lite's own paths (its mecabrc and its dictionary folder), so
another installed dictionary package cannot take its place. Each stage that needs fields of its
own asks for a tagger writing them (`node_format`): the dictionary is shared between taggers of one
process, so another tagger costs about 0.2 ms and 200 kB, less than printing a field every token
of every render does not need.
"""

from __future__ import annotations

import os


def open_tagger(node_format: str):
    """A new MeCab tagger over unidic-lite writing each token as `node_format` says (MeCab's
    options: --node-format, --unk-format, --eos-format...)."""
    import fugashi
    import unidic_lite

    dicdir = unidic_lite.DICDIR
    rc = os.path.join(dicdir, "mecabrc")
    return fugashi.GenericTagger(f'-r "{rc}" -d "{dicdir}"' + node_format)
