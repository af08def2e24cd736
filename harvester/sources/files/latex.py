"""LaTeX sources -> one Paper with located mentions: a ``.tex`` file, or arXiv's e-print (a tar
archive, usually gzipped) read in memory (nothing is extracted to disk). Pure.

The main file is the one with ``\\documentclass`` (the largest if several). Comments are dropped.
Loci: ``\\title{...}`` -> ``title`` (its ``\\thanks`` footnotes -> ``first_page``); the
``abstract`` environment -> ``abstract``; the rest of the front matter (authors, ``\\thanks``,
footnotes, a "Code:" line before the abstract or up to ``\\maketitle``) -> ``first_page``;
``thebibliography`` and ``.bbl``/``.bib`` files -> ``references``; everything else, including
the other ``.tex`` files -> ``body``.
Paper id: the file name (``2601.02760v2.tar.gz``, ``arXiv-2601.02760v2.tex``), else
``latex:<name>``. ``source_field`` is ``fulltext``.
"""

from __future__ import annotations

import io
import re
import tarfile
from collections.abc import Iterator

from harvester.errors import InputError
from harvester.fulltext import Block, locate
from harvester.models import Paper
from harvester.sources.files.naming import paper_id_from_name

MAX_MEMBERS = 10_000
MAX_SOURCE_BYTES = 64 * 1024 * 1024
_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
_TITLE = re.compile(r"\\title\s*(?:\[[^\]\n]{0,500}\])?\s*\{")
_THANKS = re.compile(r"\\thanks\s*\{")
_BEGIN_ABSTRACT, _END_ABSTRACT = "\\begin{abstract}", "\\end{abstract}"
_FRONT_END = re.compile(r"\\maketitle|\\section\*?\{")
_BIBLIO = re.compile(r"\\begin\{thebibliography\}.*?(?:\\end\{thebibliography\}|$)", re.S)


def read_tex(text: str, name: str) -> Iterator[Paper]:
    """The Paper of one LaTeX file."""
    paper_id = paper_id_from_name(name, "latex")
    yield Paper(
        paper_id=paper_id, source="latex", mentions=locate(paper_id, "fulltext", loci(text))
    )


def read_tar(data: bytes, name: str) -> Iterator[Paper]:
    """The Paper of an e-print tar archive (already decompressed)."""
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:")  # noqa: SIM115 - in memory
        members = archive.getmembers()
    except (tarfile.TarError, EOFError) as e:
        raise InputError(f"is not a readable tar archive ({e})") from None
    if len(members) > MAX_MEMBERS:
        raise InputError(f"is a tar archive of more than {MAX_MEMBERS} files; not read")
    sources: list[tuple[str, str]] = []
    total = 0
    for member in members:
        lower = member.name.lower()
        if not member.isfile() or not lower.endswith((".tex", ".bbl", ".bib")):
            continue
        total += member.size
        if total > MAX_SOURCE_BYTES:
            raise InputError(f"holds more than {MAX_SOURCE_BYTES >> 20} MiB of LaTeX; not read")
        handle = archive.extractfile(member)
        if handle is not None:
            sources.append((lower, handle.read().decode("utf-8", errors="replace")))
    if not any(n.endswith(".tex") for n, _ in sources):
        raise InputError("is a tar archive with no .tex file")
    main = max(range(len(sources)), key=lambda i: _main_rank(sources[i]))
    blocks = loci(sources[main][1])
    for index, (member_name, text) in enumerate(sources):
        if index != main:
            locus = "body" if member_name.endswith(".tex") else "references"
            blocks.append(Block(locus, _COMMENT.sub("", text)))
    paper_id = paper_id_from_name(name, "latex")
    yield Paper(paper_id=paper_id, source="latex", mentions=locate(paper_id, "fulltext", blocks))


def _main_rank(source: tuple[str, str]) -> tuple[bool, bool, int]:
    name, text = source
    return (name.endswith(".tex"), "\\documentclass" in text, len(text))


def loci(source: str) -> list[Block]:
    """A LaTeX document cut into located blocks."""
    text = _COMMENT.sub("", source)
    blocks: list[Block] = []
    title = _TITLE.search(text)
    if title:
        end = _closing_brace(text, title.end())
        heading = text[title.end() : end]
        for thanks in _THANKS.finditer(heading):  # footnotes of page 1, not the title
            blocks.append(
                Block("first_page", heading[thanks.end() : _closing_brace(heading, thanks.end())])
            )
        blocks.append(Block("title", _THANKS.split(heading, maxsplit=1)[0]))
        text = text[: title.start()] + text[end:]
    begin = text.find(_BEGIN_ABSTRACT)  # str.find: a regex would rescan per unclosed \begin
    end = text.find(_END_ABSTRACT, begin) if begin >= 0 else -1
    if end >= 0:
        front_end = end + len(_END_ABSTRACT)
        blocks.append(Block("abstract", text[begin + len(_BEGIN_ABSTRACT) : end]))
        front = text[:begin]
    else:
        marker = _FRONT_END.search(text)
        front_end = marker.start() if marker else 0
        front = text[:front_end]
    blocks.append(Block("first_page", front))
    rest = text[front_end:]
    pos = 0
    for bib in _BIBLIO.finditer(rest):
        blocks.append(Block("body", rest[pos : bib.start()]))
        blocks.append(Block("references", bib.group()))
        pos = bib.end()
    blocks.append(Block("body", rest[pos:]))
    return blocks


def _closing_brace(text: str, start: int) -> int:
    """The index of the brace closing the group opened just before ``start`` (bounded)."""
    depth = 1
    limit = min(len(text), start + 5000)
    for i in range(start, limit):
        char = text[i]
        if char == "{" and text[i - 1] != "\\":
            depth += 1
        elif char == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i
    return limit
