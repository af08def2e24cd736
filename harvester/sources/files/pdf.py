"""PDF papers: the text of every page and its link annotations -> one Paper with located mentions.

Library: pypdfium2 (PDFium; Apache-2.0 or BSD-3-Clause, PDFium itself BSD-3-Clause), chosen by
``benchmarks/fulltext.py`` on the real PDFs: same links found as pdfminer.six and pypdf, ~20x
faster than pdfminer.six and ~7x faster than pypdf, ~9 MB installed with no further dependencies
(pdfminer.six needs ``cryptography``). PyMuPDF was not considered: AGPL, this project is MIT.

Loci: page 1 is ``first_page`` (title block, authors, "Code:" lines, footnotes) except the
abstract, from an "Abstract" heading to the first section heading; later pages are ``body`` until
a "References"/"Bibliography" heading, then ``references`` until an appendix heading. A link
annotation takes the locus of the page text under it (its anchor text), else of its page.

Paper id: the arXiv stamp printed in the margin of page 1 (``arXiv:2506.12860v1 [cs.CL] 15 Jun
2025``), else an arXiv id in the metadata (title, subject, keywords), else the file name
(``2601.02760v2.pdf``), else ``pdf:<name>``.

Refused with an InputError: a file above ``MAX_PDF_BYTES``, a damaged or truncated file, a
password-protected one, and one with neither text nor links (a scan).
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from harvester.errors import InputError
from harvester.fulltext import Anchor, Block, locate, unwrap
from harvester.models import Paper
from harvester.sources.files.naming import paper_id_from_name
from harvester.sources.ids import find_arxiv_id, normalize_arxiv_id

SOURCE = "pdf"
FIELD = "fulltext"
MAX_PDF_BYTES = 64 * 1024 * 1024
_STAMP = re.compile(r"arXiv:\s*(\S+)\s+\[[\w.\-]+\]\s+\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}")
_ABSTRACT = re.compile(r"^[ \t]*(?:A\s*B\s*S\s*T\s*R\s*A\s*C\s*T|Abstract)\b[.:—-]?", re.M)
_SECTION = re.compile(
    r"^[ \t]*(?:(?:1|I)\.?[ \t]+[A-Z][A-Za-z]|Introduction\b|INTRODUCTION\b|Keywords\b|"
    r"Index Terms\b|CCS Concepts\b)",
    re.M,
)
_REFERENCES = re.compile(
    r"^[ \t]*(?:\d+\.?[ \t]*)?(?:References|REFERENCES|Bibliography)\s*$", re.M
)
_APPENDIX = re.compile(
    r"^[ \t]*(?:Appendix|APPENDIX|Supplementary Material|[A-H](?:\.\d+)?\.?[ \t]+[A-Z][a-z]+)", re.M
)


def read_pdf(data: bytes, name: str) -> Iterator[Paper]:
    """The one Paper of a PDF document (``name`` is its path, for the id fallback)."""
    if len(data) > MAX_PDF_BYTES:
        raise InputError(f"is a PDF larger than {MAX_PDF_BYTES >> 20} MiB; not read")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        reason = str(e).lower()
        if "password" in reason:
            raise InputError("is a password-protected PDF; not read") from None
        raise InputError(f"is not a readable PDF (damaged or truncated: {e})") from None
    try:
        pages, uris = _read_pages(doc)
        metadata = " ".join(v for v in doc.get_metadata_dict(skip_empty=True).values())
    finally:
        doc.close()
    if not any(text.strip() for text in pages) and not any(uris):
        raise InputError("is a PDF with no text layer (a scan?); nothing to read")
    paper_id = _paper_id(pages[0] if pages else "", metadata, name)
    blocks, anchors = _locate(pages, uris)
    yield Paper(paper_id=paper_id, source=SOURCE, mentions=locate(paper_id, FIELD, blocks, anchors))


def _read_pages(doc: pdfium.PdfDocument) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """Each page's text and its link annotations as (uri, text under the link)."""
    pages: list[str] = []
    uris: list[list[tuple[str, str]]] = []
    for index in range(len(doc)):
        page = doc[index]
        textpage = page.get_textpage()
        try:
            pages.append(textpage.get_text_range())
            uris.append(list(_links(doc, page, textpage)))
        finally:
            textpage.close()
            page.close()
    return pages, uris


def _links(
    doc: pdfium.PdfDocument, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage
) -> Iterator[tuple[str, str]]:
    for k in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, k)
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_LINK:
                continue
            action = pdfium_c.FPDFLink_GetAction(pdfium_c.FPDFAnnot_GetLink(annot))
            if not action:
                continue
            size = pdfium_c.FPDFAction_GetURIPath(doc, action, None, 0)
            if size <= 1 or size > 8192:
                continue
            buffer = ctypes.create_string_buffer(size)
            pdfium_c.FPDFAction_GetURIPath(doc, action, buffer, size)
            uri = buffer.value.decode("latin-1")
            if "github" not in uri.lower():
                continue
            rect = pdfium_c.FS_RECTF()
            label = ""
            if pdfium_c.FPDFAnnot_GetRect(annot, rect):
                label = textpage.get_text_bounded(rect.left, rect.bottom, rect.right, rect.top)
            yield uri, label
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)


def _paper_id(first_page: str, metadata: str, name: str) -> str:
    stamp = _STAMP.search(first_page[:3000])
    found = normalize_arxiv_id(stamp.group(1)) if stamp else None
    return found or find_arxiv_id(metadata) or paper_id_from_name(name, "pdf")


def _locate(
    pages: list[str], uris: list[list[tuple[str, str]]]
) -> tuple[list[Block], list[Anchor]]:
    blocks: list[Block] = []
    anchors: list[Anchor] = []
    in_references = False
    for number, raw in enumerate(pages):
        text = unwrap(raw)
        if number == 0:
            page_blocks = _first_page(text)
        else:
            page_blocks, in_references = _later_page(text, in_references)
        blocks.extend(page_blocks)
        for uri, label in uris[number]:
            anchors.append(Anchor(_locus_of(label, page_blocks), uri, unwrap(label)))
    return blocks, anchors


def _first_page(text: str) -> list[Block]:
    start = _ABSTRACT.search(text)
    if start is None:
        return [Block("first_page", text)]
    end = _SECTION.search(text, start.end())
    stop = end.start() if end else len(text)
    return [
        Block("first_page", text[: start.start()]),
        Block("abstract", text[start.start() : stop]),
        Block("first_page", text[stop:]),
    ]


def _later_page(text: str, in_references: bool) -> tuple[list[Block], bool]:
    blocks: list[Block] = []
    pos = 0
    while pos < len(text):
        m = (_APPENDIX if in_references else _REFERENCES).search(text, pos)
        stop = m.start() if m else len(text)
        if stop > pos:
            blocks.append(Block("references" if in_references else "body", text[pos:stop]))
        if m is None:
            break
        in_references = not in_references
        pos = m.end()
    return blocks, in_references


def _locus_of(label: str, blocks: list[Block]) -> str:
    words = " ".join(label.split())
    if words:
        for block in blocks:
            if words in " ".join(block.text.split()):
                return block.locus
    return blocks[0].locus if blocks else "body"
