"""Is the code really there? The placeholder verdict of a repository. Pure: no I/O.

The rules (``docs/placeholder.md`` says the same for users):

1. ``empty``: GitHub says the repository has no commits (``isEmpty``).
2. ``unknown``: the root listing was not read (the REST path without a token reads none).
3. ``code``: the root holds code: a source file (``.py``, ``.ipynb``, ``.cpp``, ``.cu``, ...), a
   build or environment file (``requirements.txt``, ``setup.py``, ``pyproject.toml``,
   ``environment.yml``, ``Makefile``, ``Dockerfile``, ``package.json``, ...), a submodule, or a
   folder other than the usual non-code ones (``assets``, ``images``, ``docs``, ``static``,
   ``data``, ``.github``, ...).
4. ``placeholder``: otherwise: commits, but only a README, a licence, a citation file, pictures
   or docs. The reason says what the root holds and whether the README promises code.

The README rule (``readme_promise``) does not decide the verdict on its own: the root listing
does. It explains it ("README says: code will be released soon") and is measured on real
READMEs by ``benchmarks/placeholder.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["code", "placeholder", "empty", "unknown"]
VERDICTS: tuple[Verdict, ...] = ("code", "placeholder", "empty", "unknown")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of the root listing: ``type`` is GitHub's ``blob``, ``tree`` or ``commit``
    (a submodule); ``size`` is a blob's bytes when known."""

    name: str
    type: str
    size: int | None = None


@dataclass(frozen=True, slots=True)
class RootFacts:
    has_citation: bool
    has_license_file: bool
    has_runnable: bool
    readme: Entry | None  # the root README, whatever its name and case
    code: tuple[str, ...]  # the entries that count as code


CODE_EXTENSIONS = frozenset(
    (  # noqa: SIM905 - a word list reads better as words than as 44 quoted items
        "py ipynb pyx c cc cpp cxx h hpp cu cuh js mjs ts tsx go rs java kt scala swift jl r m "
        "sh bash zsh rb php lua pl hs ml cs sql f f90 zig dart ex exs v sv vhd"
    ).split()
)
RUNNABLE = frozenset(
    {"requirements.txt", "pyproject.toml", "environment.yml", "environment.yaml", "setup.py"}
)
BUILD_FILES = RUNNABLE | frozenset(
    {
        "setup.cfg",
        "makefile",
        "dockerfile",
        "package.json",
        "cargo.toml",
        "cmakelists.txt",
        "go.mod",
        "project.toml",
        "pixi.toml",
        "uv.lock",
        "poetry.lock",
        "conda.yaml",
        "conda.yml",
    }
)
NON_CODE_DIRS = frozenset(
    {
        ".github",
        ".vscode",
        ".devcontainer",
        "asset",
        "assets",
        "image",
        "images",
        "img",
        "imgs",
        "pic",
        "pics",
        "figure",
        "figures",
        "fig",
        "figs",
        "doc",
        "docs",
        "static",
        "media",
        "video",
        "videos",
        "resources",
        "data",
        "dataset",
        "datasets",
        "paper",
        "website",
    }
)
_LICENSE = re.compile(r"^(licen[cs]e|copying)([._-].*)?$", re.IGNORECASE)
_README = re.compile(r"^readme(\.[a-z]+)?$", re.IGNORECASE)


def root_facts(entries: Sequence[Entry]) -> RootFacts:
    """What the root listing says: licence, citation file, something runnable, the README,
    and which entries are code."""
    code: list[str] = []
    readme: Entry | None = None
    has_citation = has_license = has_runnable = False
    for entry in entries:
        lower = entry.name.lower()
        if entry.type == "tree":
            if lower not in NON_CODE_DIRS:
                code.append(entry.name + "/")
            continue
        if entry.type == "commit":  # a submodule: code kept elsewhere, pinned here
            code.append(entry.name)
            continue
        if lower == "citation.cff":
            has_citation = True
        elif _LICENSE.match(entry.name):
            has_license = True
        elif _README.match(entry.name) and (readme is None or lower == "readme.md"):
            readme = entry
        if lower in RUNNABLE or (lower.startswith("requirements") and lower.endswith(".txt")):
            has_runnable = True
        ext = lower.rpartition(".")[2] if "." in lower else ""
        if lower in BUILD_FILES or ext in CODE_EXTENSIONS or lower.startswith("requirements"):
            code.append(entry.name)
    return RootFacts(has_citation, has_license, has_runnable, readme, tuple(code))


# -- the README rule ---------------------------------------------------------------------------

# The README is matched as UTF-8 bytes, lowercased (ASCII only, so offsets do not move): str
# regexes and str.lower() on READMEs full of emoji (4-byte strings) ran at ~2 MB/s, this at ~20
# (benchmarks/placeholder.py prints it). Quotes come from the original bytes.
_CODE = rb"\b(?:code|codes|source\s+code|implementation)\b"
_REST = rb"[^.!?\n<]{0,40}"  # the rest of the sentence, for the reason
# Tried only where "code" or "implementation" starts (found by bytes.find).
_PROMISE = re.compile(
    rb"(?<!\w)(?:codes?|implementation)\b(?:"
    # "code will be released soon", "codes will be made publicly available", "code to be released"
    rb"[^.!?\n]{0,60}?\b(?:will|would|shall|to)\s+be\s+(?:released|available|made\s+"
    rb"(?:publicly\s+)?available|open[- ]?sourced?|uploaded|public|published)"
    # "code coming soon", "code will come soon"
    rb"|[^.!?\n]{0,40}?\b(?:coming|come)\s+soon"
    # "code is under review and not yet publicly accessible"
    rb"|[^.!?\n]{0,40}?\b(?:not\s+yet\s+(?:publicly\s+)?(?:available|accessible|released|public)"
    rb"|under\s+review))" + _REST
)
_KEYWORDS = (b"code", b"implementation")
# One of these ends every promise sentence: a window without any cannot hold one.
_LAST_WORDS = (b"releas", b"availab", b"open", b"upload", b"public", b"soon", b"yet", b"review")
_TODO_OPEN = re.compile(rb"^[ \t]*[-*+][ \t]*\[ \][ \t]*([^\n]*" + _CODE + rb"[^\n]*)", re.M)
_TODO_DONE = re.compile(rb"^[ \t]*[-*+][ \t]*\[x\][^\n]*" + _CODE, re.M)
# The README shows how to run code that is there: then a promise is about more code.
_USAGE = re.compile(
    rb"\bpip\s+install\b|\bpython3?\s+(?:-m\s+)?[\w./-]+\.py\b|\bpython3?\s+-m\s+\w|"
    rb"\bbash\s+[\w./-]+\.sh\b|\bsh\s+[\w./-]+\.sh\b|\bconda\s+(?:env\s+)?create\b|\btorchrun\b|"
    rb"\baccelerate\s+launch\b|\buv\s+(?:sync|run|pip)\b|\bnpm\s+(?:install|run)\b|\bdocker\s+run\b"
)
_TAG = re.compile(rb"<[^>\n]*>")
_DROP = bytes.maketrans(b"*_`~#>|", b"       ")


def _plain(data: bytes) -> bytes:
    """Markup (HTML tags, emphasis, headings, quotes, tables) blanked out, length kept."""
    return _TAG.sub(lambda m: b" " * len(m.group()), data).translate(_DROP)


def readme_promise(text: str | None) -> str | None:
    """The words with which a README says its code is not there yet, or None.

    A promise is a sentence where code "will be released / made available / open-sourced",
    is "coming soon", "not yet available" or "under review", or an unchecked to-do item about
    code (``- [ ] release code``) when no checked item is about code; and the README shows no
    command that runs code (``pip install``, ``python x.py``, ``bash x.sh``, ...)."""
    if not text:
        return None
    data = text.encode("utf-8", "replace")
    lower = data.lower()
    said = _first_promise(data, lower)
    if said is None and b"[ ]" in data:
        todo = _TODO_OPEN.search(lower)
        if todo and not _TODO_DONE.search(lower):
            said = b"to do: " + _plain(data[todo.start(1) : todo.end(1)])
    if said is None or _USAGE.search(lower):
        return None
    return _squash(said.decode("utf-8", "ignore"))


def _first_promise(data: bytes, lower: bytes) -> bytes | None:
    """The first promise sentence. Markup is blanked only in the window after each "code" or
    "implementation" that some promise could end in."""
    starts: list[int] = []
    for word in _KEYWORDS:
        at = lower.find(word)
        while at >= 0:
            starts.append(at)
            at = lower.find(word, at + 1)
    for at in sorted(starts):
        if not any(word in lower[at : at + 200] for word in _LAST_WORDS):
            continue
        low = max(0, at - 1)  # one byte before, for the word boundary
        found = _PROMISE.match(_plain(lower[low : at + 200]), at - low)
        if found:
            return _plain(data[low + found.start() : low + found.end()])
    return None


def _squash(text: str, width: int = 80) -> str:
    words = " ".join(text.split())
    return words if len(words) <= width else words[: width - 1].rstrip() + "…"


# -- the verdict -------------------------------------------------------------------------------


def verdict(
    *,
    is_empty: bool | None,
    entries: Sequence[Entry] | None,
    commits: int | None = None,
    readme_text: str | None = None,
) -> tuple[Verdict, str]:
    """The verdict and its reason, e.g. ``("placeholder", "1 commit, README only, README says:
    code will be released soon")``."""
    if is_empty:
        return "empty", "no commits"
    if entries is None:
        return "unknown", "root listing not read"
    facts = root_facts(entries)
    promise = readme_promise(readme_text)
    parts = [] if commits is None else [f"{commits:,} commit" + ("" if commits == 1 else "s")]
    if facts.code:
        shown = ", ".join(facts.code[:3]) + (", ..." if len(facts.code) > 3 else "")
        parts.append(f"code in the root ({shown})")
        if promise:
            parts.append(f"README still says: {promise}")
        return "code", ", ".join(parts)
    parts.append(_holds(entries))
    if promise:
        parts.append(f"README says: {promise}")
    return "placeholder", ", ".join(parts)


def _holds(entries: Sequence[Entry]) -> str:
    if not entries:
        return "no files in the root"
    names = [e.name + ("/" if e.type == "tree" else "") for e in entries]
    if len(names) == 1 and _README.match(entries[0].name):
        return "README only"
    shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
    return f"no code in the root ({shown})"
