"""File names (and arguments) that are not UTF-8, made into text that can be stored and shown.

On Linux a file name is bytes; Python decodes the ones that are not valid UTF-8 (``printf x >
$'\\xff.jsonl'``) with ``surrogateescape``, each bad byte becoming a lone surrogate
(U+DC80-U+DCFF). Such a str opens the file, but UTF-8 cannot encode it: DuckDB refuses it, and a
strict terminal stream fails on it. Wherever a name is stored or printed it goes through
``shown`` (each bad byte as ``\\xNN``, what ``ls -b`` writes) or, in a command line meant to be
run again, ``shell_quote`` (bash's ``$'...'``, which gives the same bytes back). Pure.
"""

from __future__ import annotations

import re
import shlex

_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte surrogateescape could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"  # any other lone surrogate (no file system makes these)


def shown(text: str) -> str:
    """``text`` with every lone surrogate escaped: bytes that were not UTF-8 as ``\\xNN``."""
    if text.isascii():
        return text
    return _SURROGATE.sub(_escape, text)


def shell_quote(arg: str) -> str:
    """``arg`` quoted for a POSIX shell (``shlex.quote``) or, when it holds bytes that are not
    UTF-8, for bash as ``$'...'`` with those bytes as ``\\xNN``: pasted into bash, it is the same
    argument again."""
    if shown(arg) == arg:
        return shlex.quote(arg)
    body = "".join(_ansi_c(c) for c in arg)
    return f"$'{body}'"


def _ansi_c(char: str) -> str:
    """One character inside bash's ``$'...'``."""
    code = ord(char)
    if char in "\\'":
        return f"\\{char}"
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    return shown(char)


def shell_join(args: list[str]) -> str:
    """``shlex.join`` with ``shell_quote``: a command line that can be stored and run again."""
    return " ".join(shell_quote(a) for a in args)
