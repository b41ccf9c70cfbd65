"""Cleaning text that people type, before it is stored.

Control characters can rewrite a terminal (ANSI/OSC escapes), hide or reorder text (bidi
overrides) or corrupt a file; they are removed on the way in. Surrogate code points are not
characters — a UTF-16 pair split in half, or bytes a UTF-8 locale could not decode (Python hands
`$'\\xff'` over as "\\udcff") — and no file or terminal can take them; each becomes U+FFFD, so
the person sees where something was lost. Everything else — markup-like brackets, pipes,
backticks, HTML, CJK, emoji — is kept exactly and shown literally later.
"""

from __future__ import annotations

import re

# C0 controls except tab (\x09) and newline (\x0a); DEL; C1; bidi embeddings, overrides and
# isolates (U+202A–U+202E, U+2066–U+2069).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")

SURROGATES = re.compile("[\ud800-\udfff]")
"""Matches a surrogate code point: in a Python string every one is lone (a pair is one
character), and none can be encoded as UTF-8."""

REPLACEMENT = "\ufffd"
"""What stands in for text that could not be kept (U+FFFD, shown as �)."""


def replace_surrogates(text: str) -> str:
    """Return `text` with each surrogate code point replaced by U+FFFD."""
    return SURROGATES.sub(REPLACEMENT, text)


def clean_text(text: str) -> str:
    """Return `text` with control characters removed, surrogates replaced by U+FFFD, and CRLF
    and lone CR as newlines."""
    return replace_surrogates(_UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def clean_line(text: str) -> str:
    """Like clean_text, for one-line fields: newlines and tabs become spaces, ends trimmed."""
    return re.sub(r"[\n\t]", " ", clean_text(text)).strip()
