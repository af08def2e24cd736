"""Full texts and project pages: how many declared repositories each channel finds, and how fast.

    python benchmarks/fulltext.py [SHARED_DATA_DIR]   (default ../shared/data)

Prints, on ``fulltext/`` (paper PDFs) and ``pages/`` (project pages) with their manifests:
* per channel, the share of declared repositories (``truth_repo``) found, the abstract alone side
  by side, against the files that hold the repository (manifest: PDF text or annotations, page);
* pages: found as ``code_link``, and pages with a ``code_link`` to another repository;
* PDF line breaks: repositories found in the raw page text, with every line break removed (naive
  join) and with ``fulltext.unwrap``, each split into those a link annotation confirms and others;
* speed: PDFs/s and MB/s of the reader (pypdfium2) against pdfminer.six (and pypdf) text +
  annotations, and MB/s of the HTML reader.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from harvester.fulltext import unwrap
from harvester.links import find_links
from harvester.sources.files.html import read_html
from harvester.sources.files.pdf import read_pdf


def _manifest(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def pdf_channel(root: Path) -> None:
    rows = _manifest(root / "manifest.jsonl")
    held = found = abstract = 0
    for row in rows:
        data = (root / str(row["file"])).read_bytes()
        truth = str(row["truth_repo"]).lower()
        mentions = next(read_pdf(data, str(row["file"]))).mentions
        loci = {m.locus for m in mentions if m.repo_name == truth}
        if row["truth_in_pdf_text"] or row["truth_in_pdf_link_annotations"]:
            held += 1
            found += bool(loci)
            abstract += "abstract" in loci
        print(f"  {row['file']}: truth {truth} found at {sorted(loci) or '-'}")
    print(f"PDF: {found}/{held} declared repositories that the PDF holds found "
          f"(abstract alone: {abstract}/{held}); {len(rows)} PDFs")  # fmt: skip


def line_breaks(root: Path) -> None:
    import pypdfium2 as pdfium

    counts = {"raw": [0, 0], "naive join": [0, 0], "unwrap": [0, 0]}
    for path in sorted(root.glob("*.pdf")):
        doc = pdfium.PdfDocument(path.read_bytes())
        pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
        doc.close()
        annotated = {m.repo_name for m in next(read_pdf(path.read_bytes(), path.name)).mentions}
        variants = {
            "raw": "\n".join(pages),
            "naive join": "".join(p.replace("\r\n", "").replace("\ufffe", "") for p in pages),
            "unwrap": "\n".join(unwrap(p) for p in pages),
        }
        for name, text in variants.items():
            repos = {link.repo_name for link in find_links(text) if link.kind == "repo"}
            counts[name][0] += len(repos & annotated)
            counts[name][1] += len(repos - annotated)
    for name, (good, other) in counts.items():
        print(f"  line breaks, {name:10}: {good} repos also found by the reader, {other} others")


def page_channel(root: Path) -> None:
    rows = _manifest(root / "manifest.jsonl")
    pages = linked = found = code = wrong = right_id = no_id = 0
    seconds = size = 0.0
    for row in rows:
        path = root / str(row["arxiv_id"]) / "project.html"
        if not path.is_file():
            continue
        pages += 1
        text = path.read_text("utf-8", errors="replace")
        start = time.perf_counter()
        paper = next(read_html(text, "page.html"))  # no folder name: the id from the page alone
        seconds += time.perf_counter() - start
        mentions = paper.mentions
        right_id += paper.paper_id == row["arxiv_id"]
        no_id += paper.paper_id.startswith("html:")
        size += len(text.encode())
        truth = str(row["truth_repo"]).lower()
        hits = {m.locus for m in mentions if m.repo_name == truth}
        others = {m.repo_name for m in mentions if m.locus == "code_link" and m.kind == "repo"}
        wrong += bool(others - {truth})
        if row["page_has_truth"]:
            linked += 1
            found += bool(hits)
            code += "code_link" in hits
            if "code_link" not in hits:
                print(f"  missed as code_link: {row['arxiv_id']} {truth} ({sorted(hits) or '-'})")
    print(f"pages: {pages} pages, {linked} link the declared repository; found {found}/{linked} "
          f"({found / max(linked, 1):.1%}), as code_link {code}/{linked} "
          f"({code / max(linked, 1):.1%}); {wrong} with a code_link elsewhere")  # fmt: skip
    print(f"pages: paper id from the page's own arXiv links: right {right_id}/{pages}, "
          f"none {no_id}, another paper's {pages - right_id - no_id}")  # fmt: skip
    print(f"pages: HTML reader {size / seconds / 1e6:.1f} MB/s over {size / 1e6:.1f} MB")


def generated(tmp: Path) -> list[Path]:
    """20 generated 10-page PDFs (tests' minimal writer): dense text, one link per page."""
    from tests.sources.files.minipdf import line_rect, make_pdf

    words = [
        "the",
        "model",
        "learns",
        "from",
        "long",
        "reasoning",
        "traces",
        "and",
        "short",
        "answers",
        "alike",
    ]
    paths = []
    for n in range(20):
        pages = [
            [" ".join(words[(i + j) % len(words)] for j in range(14)) for i in range(50)]
            + [f"Code: https://github.com/owner{n}/repo{p}"]
            for p in range(10)
        ]
        links = [(p, f"https://github.com/owner{n}/repo{p}", line_rect(50)) for p in range(10)]
        path = tmp / f"gen{n}.pdf"
        path.write_bytes(make_pdf(pages, links))
        paths.append(path)
    return paths


def speed(files: list[Path]) -> None:
    total = sum(f.stat().st_size for f in files) / 1e6

    def ours() -> None:
        for f in files:
            next(read_pdf(f.read_bytes(), f.name))

    def pdfminer() -> None:
        from pdfminer.high_level import extract_text
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import resolve1

        for f in files:
            extract_text(str(f))
            with f.open("rb") as handle:
                for page in PDFPage.create_pages(PDFDocument(PDFParser(handle))):
                    for annot in resolve1(page.annots) or []:
                        resolve1(resolve1(annot).get("A"))

    def pypdf() -> None:
        import pypdf as lib

        for f in files:
            for page in lib.PdfReader(f).pages:
                page.extract_text()
                for annot in page.get("/Annots") or []:
                    annot.get_object().get("/A")

    for name, run in (("pypdfium2 (reader)", ours), ("pdfminer.six", pdfminer), ("pypdf", pypdf)):
        try:
            start = time.perf_counter()
            run()
            seconds = time.perf_counter() - start
        except ImportError:
            print(f"  {name}: not installed (pip install '.[bench]')")
            continue
        print(f"  {name:20} {len(files) / seconds:6.2f} PDFs/s {total / seconds:6.2f} MB/s")


def main() -> None:
    data = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    pdf_channel(data / "fulltext")
    line_breaks(data / "fulltext")
    page_channel(data / "pages")
    print("PDF text + link annotations, 3 real PDFs:")
    speed(sorted((data / "fulltext").glob("*.pdf")))
    with tempfile.TemporaryDirectory() as tmp:
        print("PDF text + link annotations, 20 generated 10-page PDFs:")
        speed(generated(Path(tmp)))


if __name__ == "__main__":
    main()
