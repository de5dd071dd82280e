"""Untrusted text made safe to show: control characters and undecodable file names escaped.

File names come from the OS as bytes; Python hands those that are not UTF-8 over as lone
surrogates (surrogateescape: byte 0xFF becomes U+DCFF). They are kept that way wherever a file is
opened, and shown escaped (`\\xff`) wherever a name is written for a person or into text that
must be valid UTF-8 (the library, JSON, a terminal).
"""

from __future__ import annotations

import re

# Lone surrogates: U+DC80..U+DCFF stand for the bytes 0x80..0xFF of an undecodable name.
_SURROGATES = re.compile("[\ud800-\udfff]")
# What a terminal acts on rather than shows: C0 (newline and tab are kept where lines are
# written), DEL, C1, the bidirectional overrides and isolates (they reorder what follows) and
# lone surrogates (not text at all).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONTROLS_KEEPING_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte the OS gave
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_surrogates(text: str) -> str:
    """`text` with its lone surrogates shown escaped (`\\xff` for the byte 0xFF of a file name):
    always encodable as UTF-8. Text without any is returned as it is."""
    return _SURROGATES.sub(_escape, text) if _SURROGATES.search(text) else text


def escape_controls(text: str, *, keep_lines: bool = True) -> str:
    """`text` with every control character shown escaped (ESC as `\\x1b`), lone surrogates as
    the bytes they stand for; newlines and tabs are kept when `keep_lines`."""
    pattern = _CONTROLS_KEEPING_LINES if keep_lines else _CONTROLS
    return pattern.sub(_escape, text) if pattern.search(text) else text


def shown_path(path: object) -> str:
    """A file name for a message: as the OS gave it, undecodable bytes and control characters
    shown escaped, on one line."""
    return escape_controls(str(path), keep_lines=False)


def has_surrogates(text: str) -> bool:
    return _SURROGATES.search(text) is not None
