"""Full-text and page readers (PDF, HTML, LaTeX, e-print tars), read through read_inputs."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest

from harvester.errors import InputError
from harvester.fulltext import unwrap
from harvester.links import mentions_for
from harvester.models import Mention
from harvester.sources.files import read_inputs
from tests.conftest import SHARED
from tests.sources.files.minipdf import line_rect, make_pdf

FULLTEXT = SHARED / "data" / "fulltext"
PAGES = SHARED / "data" / "pages"


def _mentions(path: Path) -> list[Mention]:
    return [m for paper in read_inputs([str(path)]) for m in mentions_for(paper)]


def _by_repo(mentions: list[Mention]) -> dict[str, set[str | None]]:
    found: dict[str, set[str | None]] = {}
    for m in mentions:
        found.setdefault(m.repo, set()).add(m.locus)
    return found


def test_pdf_loci_line_breaks_and_annotations(tmp_path: Path) -> None:
    lines = [
        "arXiv:2401.04887v2 [cs.CL] 9 Jan 2024",
        "A Title",
        "Code",
        "Abstract",
        "We release it at https://gi",
        "thub.com/foo/bar-",
        "baz. More text, decompos-",
        "ing.",
        "1 Introduction",
        "See https://github.com/acme/Diffulex",
        "Correspondence to x.",
    ]
    page2 = ["Body text https://github.com/base/line here.", "References", "[1] github.com/ref/one"]
    path = tmp_path / "paper.pdf"
    path.write_bytes(
        make_pdf([lines, page2], [(0, "https://github.com/owner/CodeRepo", line_rect(2))])
    )
    mentions = _mentions(path)
    assert {m.paper_id for m in mentions} == {"2401.04887"}
    assert {m.source_field for m in mentions} == {"fulltext"}
    assert _by_repo(mentions) == {
        "foo/bar-baz": {"abstract"},
        "acme/Diffulex": {"first_page"},
        "base/line": {"body"},
        "ref/one": {"references"},
        "owner/CodeRepo": {"first_page"},
    }
    contexts = {m.repo: m.context for m in mentions}
    assert contexts["owner/CodeRepo"] == "Code"
    assert contexts["foo/bar-baz"] is not None and "We release it at" in contexts["foo/bar-baz"]
    assert all(len(m.context or "") <= 200 for m in mentions)


def test_pdf_id_from_file_name_when_no_stamp(tmp_path: Path) -> None:
    path = tmp_path / "2601.02760v2.pdf"
    path.write_bytes(make_pdf([["Title", "Code: https://github.com/a/b"]]))
    assert [m.paper_id for m in _mentions(path)] == ["2601.02760"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (make_pdf([["Code: https://github.com/a/b"]])[:300], "not a readable PDF"),
        (make_pdf([[]]), "no text layer"),
    ],
    ids=["truncated", "scanned"],
)
def test_bad_pdfs_are_one_line_input_errors(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as info:
        list(read_inputs([str(path)]))
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_oversized_pdf_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(100 * 1024 * 1024)
    with pytest.raises(InputError, match="larger than 64 MiB"):
        list(read_inputs([str(path)]))


def test_unwrap_keeps_breaks_that_are_not_inside_urls() -> None:
    assert unwrap("see https://github.com/a/Diffulex\r\nCorrespondence") == (
        "see https://github.com/a/Diffulex\nCorrespondence"
    )
    assert unwrap("https://gi\nthub.com/a/b") == "https://github.com/a/b"
    assert unwrap("https://github.com/a/long_\nname and") == "https://github.com/a/long_name and"
    assert unwrap("ef\ufb01cient decompos\ufffeing") == "efficient decomposing"


PAGE = """<!DOCTYPE html><html><head><title>P</title></head><body>
<a href="https://arxiv.org/abs/2503.00329">Paper</a>
<a class="button" href="https://github.com/Owner/Proj/tree/main"><i class="fab fa-github"></i></a>
<a href="https://github.com/other/baseline">a baseline</a>
<p>Code: <a href="https://github.com/owner/second.git">here</a></p>
<footer>This website is adapted from <a href="https://github.com/nerfies/nerfies.github.io">
source code</a></footer>
<script>var x = "https://github.com/in/script";</script>
</body></html>"""


def test_project_page_code_links(tmp_path: Path) -> None:
    path = tmp_path / "project.html"
    path.write_text(PAGE, "utf-8")
    mentions = _mentions(path)
    assert {m.paper_id for m in mentions} == {"2503.00329"}
    assert {m.source_field for m in mentions} == {"project_page"}
    assert _by_repo(mentions) == {
        "Owner/Proj": {"code_link"},
        "other/baseline": {"body"},
        "owner/second": {"code_link"},
        "nerfies/nerfies.github.io": {"body"},
    }


def test_latexml_paper_loci(tmp_path: Path) -> None:
    doc = """<!DOCTYPE html><html><head><meta name="generator" content="LaTeXML"></head><body>
    <div class="ltx_page_main"><h1 class="ltx_title ltx_title_document">T<span class="ltx_note">
    Code: <a href="https://github.com/a/thanks">here</a></span></h1>
    <div class="ltx_authors">A. Author <span class="ltx_note">Code: https://github.com/a/front</span></div>
    <div class="ltx_abstract"><p>We release <a href="https://github.com/a/abs">code</a>.</p></div>
    <section class="ltx_section"><p>Uses https://github.com/b/body.</p></section>
    <section class="ltx_bibliography"><li>https://github.com/c/ref</li></section></div></body></html>"""
    path = tmp_path / "2401.04887v1.html"
    path.write_text(doc, "utf-8")
    mentions = _mentions(path)
    assert {m.paper_id for m in mentions} == {"2401.04887"}
    assert {m.source_field for m in mentions} == {"fulltext"}
    assert _by_repo(mentions) == {
        "a/front": {"first_page"},
        "a/thanks": {"first_page"},
        "a/abs": {"abstract"},
        "b/body": {"body"},
        "c/ref": {"references"},
    }


TEX = r"""\documentclass{article}
\title{Tool at github.com/t/title \thanks{Code: \url{https://github.com/t/thanks}}}
\author{A}
% \url{https://github.com/commented/out}
\begin{document}\maketitle
\begin{abstract} Code at \url{https://github.com/t/abs}. \end{abstract}
\section{Intro} We use \href{https://github.com/t/body}{this}.
\begin{thebibliography}{1}\bibitem{x} \url{https://github.com/t/ref}\end{thebibliography}
\end{document}
"""


def test_latex_file_and_eprint_tar(tmp_path: Path) -> None:
    tex = tmp_path / "arXiv-2401.04887v1.tex"
    tex.write_text(TEX, "utf-8")
    expected = {
        "t/title": {"title"},
        "t/thanks": {"first_page"},
        "t/abs": {"abstract"},
        "t/body": {"body"},
        "t/ref": {"references"},
    }
    assert _by_repo(_mentions(tex)) == expected
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, body in (("main.tex", TEX), ("sec.tex", "see github.com/t/extra")):
            info = tarfile.TarInfo(name)
            info.size = len(body.encode())
            archive.addfile(info, io.BytesIO(body.encode()))
    eprint = tmp_path / "2401.04887v1"
    eprint.write_bytes(gzip.compress(buffer.getvalue()))
    mentions = _mentions(eprint)
    assert {m.paper_id for m in mentions} == {"2401.04887"}
    assert _by_repo(mentions) == {**expected, "t/extra": {"body"}}


@pytest.mark.parametrize(
    "html",
    [
        "<!DOCTYPE html><html><body>"
        + "<div>" * 100_000
        + '<a href="https://github.com/a/b">Code</a>',
        "<!DOCTYPE html><html><body><p>" + "x " * 10_000_000 + "github.com/a/b</p>",
        # each of these made html.parser rescan to the end: minutes, quadratic (html._defuse)
        '<!DOCTYPE html><p>see https://github.com/a/b</p><a href="x' * 1 + "<a" * 100_000,
        "<!DOCTYPE html><p>see https://github.com/a/b</p>" + "<!--" * 100_000,
    ],
    ids=["nested-100k", "one-20MB-line", "unclosed-tags", "unclosed-comments"],
)
def test_adversarial_html_is_read(tmp_path: Path, html: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(html, "utf-8")
    assert [m.repo for m in _mentions(path)] == ["a/b"]


@pytest.mark.shared
def test_real_pdfs_find_every_declared_repository_they_hold() -> None:
    for line in (FULLTEXT / "manifest.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        repos = {m.repo_name for m in _mentions(FULLTEXT / row["file"])}
        held = row["truth_in_pdf_text"] or row["truth_in_pdf_link_annotations"]
        assert (row["truth_repo"].lower() in repos) == held, row["file"]


@pytest.mark.shared
def test_real_pages_link_declared_repository_as_code_link() -> None:
    linked = code = 0
    for line in (PAGES / "manifest.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        page = PAGES / row["arxiv_id"] / "project.html"
        if not page.is_file() or not row["page_has_truth"]:
            continue
        linked += 1
        truth = row["truth_repo"].lower()
        code += any(m.repo_name == truth and m.locus == "code_link" for m in _mentions(page))
    assert linked > 50 and code / linked >= 0.95


def _encrypted(user_password: str) -> bytes:
    pypdf = pytest.importorskip("pypdf")
    plain = make_pdf([["Code: https://github.com/a/b"]])
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_refused_but_owner_only_protection_is_read(
    tmp_path: Path,
) -> None:
    locked, restricted = tmp_path / "locked.pdf", tmp_path / "restricted.pdf"
    locked.write_bytes(_encrypted("secret"))
    restricted.write_bytes(_encrypted(""))
    with pytest.raises(InputError, match="password-protected"):
        list(read_inputs([str(locked)]))
    assert [m.repo for m in _mentions(restricted)] == ["a/b"]


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"<!DOCTYPE html>\n<html>", "html"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "x">\n<html>', "html"),
        (b"<!-- saved -->\n<html lang=en>", "html"),
        (b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "atom"),
        (b"% main\n\\documentclass{article}", "latex"),
        (b'{"id": "1", "abstract": "uses \\\\documentclass{x}"}\n{"id": "2"}\n', "jsonl"),
        (b"notes about <html> tags", "text"),
    ],
)
def test_documents_are_detected_by_content(head: bytes, kind: str) -> None:
    from harvester.sources.files.detect import detect

    assert detect(head) == kind


def test_context_is_the_link_line_in_long_pdf_sentences() -> None:
    from harvester.fulltext import context_of

    authors = "\n".join(f"{i}University Number {i}, Somewhere" for i in range(12))
    sentence = f"{authors}\n\x87 Code: https://github.com/ZichenWen1/EPIC"
    assert context_of(sentence, "ZichenWen1/EPIC") == "Code: https://github.com/ZichenWen1/EPIC"
    wrapped = f"{authors}\nQFFT is publicly available at\nhttps://github.com/a/b."
    assert context_of(wrapped, "a/b") == "QFFT is publicly available at https://github.com/a/b."
    assert len(context_of("word " * 500 + "github.com/a/b " + "word " * 500, "a/b")) <= 200


@pytest.mark.parametrize(
    "tex",
    [
        "\\begin{abstract}" * 100_000 + " github.com/a/b",
        "\\title{" + "\\thanks{" * 50_000 + " github.com/a/b",
        "see github.com/a/b. " + "github. " * 200_000,  # a sentence per hit, none a link
    ],
    ids=["unclosed-abstracts", "nested-thanks", "many-sentences"],
)
def test_adversarial_latex_is_read(tmp_path: Path, tex: str) -> None:
    path = tmp_path / "paper.tex"
    path.write_text("\\documentclass{article}\n" + tex, "utf-8")
    assert [m.repo for m in _mentions(path)] == ["a/b"]


def test_page_code_links_come_first(tmp_path: Path) -> None:
    path = tmp_path / "project.html"
    path.write_text(
        '<html><p>see https://github.com/a/b</p><a href="https://github.com/a/b">Code</a>', "utf-8"
    )
    assert [m.locus for m in _mentions(path)] == ["code_link", "body"]
