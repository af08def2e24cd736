"""Readers for whole documents: PDF, HTML (arXiv's LaTeXML papers and other pages), LaTeX (a
``.tex`` file or an e-print tar archive). Each input is one document, read whole up to a cap, and
becomes one Paper whose mentions are already located (``harvester.fulltext``).

``binary_kind`` recognises the inputs that are binary by nature (PDF, tar) from their first bytes,
so they reach their reader instead of the "binary content" refusal.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Protocol

from harvester.errors import InputError
from harvester.models import Paper
from harvester.sources.files import html, latex, pdf

MAX_DOCUMENT_BYTES = 128 * 1024 * 1024
_TAR_MAGIC = b"ustar"


class _Stream(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def binary_kind(head: bytes) -> str | None:
    """``pdf`` or ``tar`` when ``head`` (decompressed) starts such a file, else None."""
    if head.lstrip(b"\t\n\r\f ").startswith(b"%PDF-"):
        return "pdf"
    if head[257:262] == _TAR_MAGIC:
        return "tar"
    return None


def _whole(stream: _Stream, limit: int, what: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"is a {what} larger than {limit >> 20} MiB; not read")
    return data


def _name(path: str | None) -> str:
    return os.path.normpath(path) if path is not None else "stdin"


def _text(stream: _Stream, what: str) -> str:
    return _whole(stream, MAX_DOCUMENT_BYTES, what).decode("utf-8", errors="replace")


def read_pdf(stream: _Stream, path: str | None, _where: str) -> Iterator[Paper]:
    yield from pdf.read_pdf(_whole(stream, pdf.MAX_PDF_BYTES, "PDF"), _name(path))


def read_html(stream: _Stream, path: str | None, _where: str) -> Iterator[Paper]:
    yield from html.read_html(_text(stream, "HTML document"), _name(path))


def read_latex(stream: _Stream, path: str | None, _where: str) -> Iterator[Paper]:
    yield from latex.read_tex(_text(stream, "LaTeX file"), _name(path))


def read_tar(stream: _Stream, path: str | None, _where: str) -> Iterator[Paper]:
    yield from latex.read_tar(_whole(stream, MAX_DOCUMENT_BYTES, "tar archive"), _name(path))
