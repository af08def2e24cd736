"""File inputs -> Paper records: one entry point, ``read_inputs``, over one reader per format.

``specs`` are paths, directories (read recursively, files sorted by path, hidden files and
directories skipped), globs (``data/*.json.gz``, ``**`` allowed) or ``-`` for stdin. Every spec is
resolved before anything is read, so a missing path fails before the first paper. A file reached
twice is read once.

Each input is decompressed when it starts with the gzip magic bytes (whatever its name), then its
format is detected from its first 64 KiB (``detect.detect``) unless ``fmt`` forces one of
``FORMATS`` for every input. Readers: ``hf_daily`` (HF papers API JSON), ``json``/``jsonl``/``csv``
(``records``), ``atom`` (arXiv API), ``listing`` (a copied HF listing page), ``snapshot`` (the
arXiv metadata snapshot, JSONL), ``text``, and the whole documents of ``documents``: ``pdf``,
``html``, ``latex``, ``tar`` (an arXiv e-print); PDF and tar are recognised by their magic bytes
before the binary-content check.

Memory: JSONL, CSV and the snapshot are streamed line by line (a 50 MB line is one ``readline``);
JSON documents and Atom feeds are loaded whole; plain text and listings are one document each,
read whole, and refused above 128 MiB.

Errors: every problem with an input is an ``InputError`` whose one-line message starts with the
input's name (``<stdin>`` for stdin). One bad input stops the read: the error is raised when the
reader reaches it; papers already yielded (from earlier inputs, and for streamed formats from
earlier lines of the same input) stay yielded. A caller that must not keep part of a bad file
uses ``iter_inputs`` and commits each input's papers only after its iterator is exhausted.
"""

from __future__ import annotations

import codecs
import glob
import gzip
import io
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from typing import IO, TYPE_CHECKING, BinaryIO, Protocol

from harvester.errors import InputError, UsageError
from harvester.models import Paper
from harvester.sources.files import atom, documents, hf_daily, listing, records, snapshot, text
from harvester.sources.files.detect import SNIFF_BYTES, detect

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["FORMATS", "iter_inputs", "read_inputs", "resolve"]

FORMATS: tuple[str, ...] = (
    "hf_daily", "json", "jsonl", "csv", "atom", "listing", "text", "snapshot",
    "html", "latex", "pdf", "tar",
)  # fmt: skip
STDIN_NAME = "<stdin>"
GZIP_MAGIC = b"\x1f\x8b"
OTHER_COMPRESSION = {b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz", b"\x28\xb5\x2f\xfd": "zstd",
                     b"PK\x03\x04": "zip", b"7z\xbc\xaf\x27\x1c": "7z"}  # fmt: skip
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([^"']+)""")

Target = tuple[str, str | None]  # (name shown in messages, path or None for stdin)


class _Source(Protocol):
    def read(self, size: int = -1, /) -> bytes | None: ...


class _Stream(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...
    def readline(self, size: int = -1, /) -> bytes: ...


def read_inputs(
    specs: Sequence[str], fmt: str | None = None, *, stdin: BinaryIO | None = None
) -> Iterator[Paper]:
    """Every paper of every input, in order. Bad specs and ``fmt`` fail here, before reading."""
    inputs = iter_inputs(specs, fmt, stdin=stdin)
    return chain.from_iterable(papers for _name, papers in inputs)  # (no generator per paper)


def iter_inputs(
    specs: Sequence[str], fmt: str | None = None, *, stdin: BinaryIO | None = None
) -> Iterator[tuple[str, Iterator[Paper]]]:
    """``(name, papers)`` per input file, for callers that commit one input at a time."""
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    targets = resolve(specs)
    return ((name, _read(name, path, fmt, stdin)) for name, path in targets)


def resolve(specs: Sequence[str]) -> list[Target]:
    """The input files the specs name, in order, each once; InputError for a spec naming none."""
    targets: list[Target] = []
    seen: set[str] = set()
    for spec in specs:
        paths: list[str | None] = [None] if spec == "-" else list(_expand(spec))
        for path in paths:
            key = os.path.realpath(path) if path is not None else "-"
            if key not in seen:
                seen.add(key)
                targets.append((STDIN_NAME, None) if path is None else (path, path))
    return targets


def _expand(spec: str) -> list[str]:
    if os.path.isdir(spec):
        files = _walk(spec)
        if not files:
            raise InputError(f"{spec}: directory contains no input files (hidden files skipped)")
        return files
    if os.path.lexists(spec):
        return [spec]
    if re.search(r"[*?\[]", spec):
        files = []
        for match in sorted(glob.glob(spec, recursive=True)):
            files.extend(_walk(match) if os.path.isdir(match) else [match])
        if not files:
            raise InputError(f"{spec}: no files match this pattern")
        return files
    raise InputError(f"{spec}: no such file or directory")


def _walk(top: str) -> list[str]:
    found: list[str] = []
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(os.path.join(root, f) for f in files if not f.startswith("."))
    return sorted(found, key=lambda p: os.path.relpath(p, top).split(os.sep))


def _read(name: str, path: str | None, fmt: str | None, stdin: BinaryIO | None) -> Iterator[Paper]:
    try:
        if path is None:
            yield from _read_stream(stdin if stdin is not None else sys.stdin.buffer, None, fmt)
            return
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
        except OSError as e:
            raise InputError(f"cannot open: {e.strerror or e}") from None
        with handle:
            yield from _read_stream(handle, path, fmt)
    except InputError as e:
        raise type(e)(f"{name}: {e}") from e
    except OSError as e:
        raise InputError(f"{name}: read error: {e.strerror or e}") from e


def _read_stream(raw: IO[bytes], path: str | None, fmt: str | None) -> Iterator[Paper]:
    """The reader's papers of ``raw`` (sniffed here; the reader itself is returned, not wrapped
    in one more generator that every paper would pass through)."""
    head = _read_upto(raw, SNIFF_BYTES)
    source: _Source = raw
    gzipped = head[:2] == GZIP_MAGIC
    if gzipped:
        guard = _GzipGuard(gzip.GzipFile(fileobj=_Replay(head, raw), mode="rb"))
        head = _read_upto(guard, SNIFF_BYTES)
        source = guard
    binary = fmt if fmt in ("pdf", "tar") else None if fmt else documents.binary_kind(head)
    if binary is None:
        _check_text(head, gzipped=gzipped)
    stream = io.BufferedReader(_Replay(head, source), 1 << 16)
    where = " of the decompressed data" if gzipped else ""
    kind = binary or fmt or detect(head, path)
    return _READERS[kind](stream, path, where)


def _read_upto(stream: _Source, size: int) -> bytes:
    chunks, total = [], 0
    while total < size:
        chunk = stream.read(size - total)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _check_text(head: bytes, *, gzipped: bool) -> None:
    if len(head) < SNIFF_BYTES and not head.strip():
        raise InputError("is empty" + (" after gzip decompression" if gzipped else ""))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("is UTF-16 encoded; only UTF-8 text is supported")
    for magic, kind in OTHER_COMPRESSION.items():
        if head.startswith(magic):
            raise InputError(f"is {kind}-compressed; only gzip is supported (decompress it first)")
    nul = head.find(b"\x00")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if nul >= 0 or controls > len(head) // 10:
        where = f" (NUL byte at offset {nul})" if nul >= 0 else ""
        raise InputError(f"is binary (non-text) content{where}")


def _lines(stream: _Stream, where: str) -> Iterator[str]:
    offset = 0
    for number, line in enumerate(iter(stream.readline, b""), 1):
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(
                f"invalid UTF-8 at byte offset {offset + e.start}{where} (line {number})"
            ) from None
        offset += len(line)
        yield decoded.removeprefix("\ufeff") if number == 1 else decoded


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise InputError(f"invalid UTF-8 at byte offset {e.start}{where} (line {line})") from None


def _read_document(stream: _Stream, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"is larger than {limit >> 20} MiB; plain text and listings are read whole, "
            "so split it or pass --format"
        )
    return data


def _read_atom(stream: _Stream, _path: str | None, where: str) -> Iterator[Paper]:
    data = stream.read()
    declared = _XML_ENCODING.match(data[:200])
    if declared is None or declared.group(1).lower().replace(b"_", b"-") in (b"utf-8", b"utf8"):
        _decode(data, where)  # report bad UTF-8 with its offset rather than as an XML error
    yield from atom.parse_feed(data)


def _read_text(stream: _Stream, path: str | None, where: str) -> Iterator[Paper]:
    content = _decode(_read_document(stream, text.MAX_TEXT_BYTES), where)
    name = os.path.realpath(path) if path is not None else "stdin"  # see text.py: one file, one id
    yield text.parse_text(content, name)


def _read_listing(stream: _Stream, _path: str | None, where: str) -> Iterator[Paper]:
    yield from listing.parse_listing(_decode(_read_document(stream, text.MAX_TEXT_BYTES), where))


Reader = Callable[[_Stream, str | None, str], Iterator[Paper]]
_READERS: dict[str, Reader] = {
    "hf_daily": lambda s, _p, w: hf_daily.read_text(_decode(s.read(), w)),
    "json": lambda s, _p, w: records.read_json(_decode(s.read(), w)),
    "jsonl": lambda s, _p, w: records.read_jsonl(_lines(s, w)),
    "csv": lambda s, _p, w: records.read_csv(_lines(s, w)),
    "atom": _read_atom,
    "listing": _read_listing,
    "text": _read_text,
    "snapshot": lambda s, _p, w: snapshot.read_lines(iter(s.readline, b""), w),
    "html": documents.read_html,
    "latex": documents.read_latex,
    "pdf": documents.read_pdf,
    "tar": documents.read_tar,
}


class _Replay(io.RawIOBase):
    """A raw stream that serves ``head`` (bytes already read for sniffing), then ``rest``."""

    def __init__(self, head: bytes, rest: _Source) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest
        # straight into the caller's buffer when the stream can (a file, stdin, the gzip guard):
        # one copy of every byte less than read() and a slice assignment
        self._rest_into = getattr(rest, "readinto", None)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        target = memoryview(buffer).cast("B")
        if self._head:
            n = min(len(target), len(self._head))
            target[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        if self._rest_into is not None:
            return self._rest_into(target) or 0
        data = self._rest.read(len(target)) or b""
        target[: len(data)] = data
        return len(data)


class _GzipGuard(io.RawIOBase):
    """Decompressed bytes of a gzip stream; damage becomes a one-line InputError."""

    def __init__(self, gz: gzip.GzipFile) -> None:
        super().__init__()
        self._gz = gz

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        target = memoryview(buffer).cast("B")
        try:
            data = self._gz.read(len(target))
        except (EOFError, gzip.BadGzipFile, zlib.error) as e:
            raise InputError(f"is truncated or corrupt gzip data ({e})") from None
        target[: len(data)] = data
        return len(data)
