"""``harvester follow`` and ``harvest --follow`` end to end through the CLI, against a fake web
on 127.0.0.1 (HF records, arXiv full texts, project pages, robots.txt) on a fake clock."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.fakeproxy import ForwardProxy
from tests.fakesources import FakeClock
from tests.fakeweb import FakeWeb, arxiv_html, project_page
from tests.sources.files.minipdf import make_pdf

A, B, C = "2501.01234", "2502.04321", "2503.05555"


pytestmark = pytest.mark.usefixtures("clock")  # the web seam on a fake clock (conftest)


def _seed(cli: Cli, tmp_path: Path, papers: list[dict[str, str]]) -> None:
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in papers))
    out = cli("harvest", str(path), "--no-stats")
    assert out.code == 0, out.stderr


def _follow(cli: Cli, site: FakeWeb, *args: str) -> tuple[int, str, str]:
    out = cli("follow", "--hf-url", site.url, "--fulltext-url", site.url, *args, github=False)
    return out.code, out.stdout, out.stderr


def _world(site: FakeWeb) -> None:
    """A: HF names a project page whose Code button links the repo; no HTML paper, a PDF that
    prints a Code line. B: an arXiv HTML paper with the link in its abstract. C: the authors
    declared their repository on HF, so nothing more is fetched for it."""
    page = site.route(
        "/a-project/",
        project_page(
            ("Code", "https://github.com/alice/a-code"),
            ("Paper", "https://arxiv.org/abs/2501.01234"),
        ),
    )
    site.hf_paper(A, projectPage=page)
    pdf = make_pdf([["A paper", "Code: https://github.com/alice/a-pdf"]])
    site.route(f"/pdf/{A}", pdf, content_type="application/pdf")
    site.hf_paper(B)
    site.route(f"/html/{B}", arxiv_html(B, "Our code is at https://github.com/bob/b-code."))
    site.hf_paper(C, githubRepo="https://github.com/carol/c-code")
    site.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")


def test_follow_finds_repositories_in_hf_records_full_texts_and_pages(
    cli: Cli, site: FakeWeb, tmp_path: Path, clock: FakeClock
) -> None:
    _world(site)
    _seed(
        cli, tmp_path, [{"id": A, "title": "A"}, {"id": B, "title": "B"}, {"id": C, "title": "C"}]
    )
    code, stdout, stderr = _follow(cli, site, "--allow-private")
    assert code == 0, stderr
    assert "3 papers followed" in stdout
    assert "HTTP 404" not in stderr  # no HTML rendering is common: not worth a note
    found = set(
        cli.rows("SELECT paper_id, repo_name, source_field, locus FROM mentions ORDER BY ALL")
    )
    assert found == {
        (A, "alice/a-code", "project_page", "code_link"),
        (A, "alice/a-pdf", "fulltext", "first_page"),
        (B, "bob/b-code", "fulltext", "abstract"),
        (C, "carol/c-code", "hf_github_repo", None),
    }
    assert (
        cli.one(f"SELECT project_page FROM papers WHERE paper_id = '{A}'")
        == site.url + "/a-project/"
    )
    docs = {
        (r[0].removeprefix(site.url), r[1], r[2], r[3])
        for r in cli.rows("SELECT url, channel, status, why FROM documents")
    }
    assert docs == {
        (f"/api/papers/{A}", "hf", 200, None),
        (f"/html/{A}", "fulltext", 404, None),
        (f"/pdf/{A}", "fulltext", 200, None),
        ("/a-project/", "pages", 200, None),
        (f"/api/papers/{B}", "hf", 200, None),
        (f"/html/{B}", "fulltext", 200, None),
        (f"/api/papers/{C}", "hf", 200, None),
    }
    assert cli.one("SELECT count(*) FROM documents WHERE sha256 IS NULL OR bytes IS NULL") == 0
    # full texts come one at a time, at least 3 s apart (arXiv's rule); pages 1 s per host
    texts = [r.at for r in site.requests if r.path.startswith(("/html/", "/pdf/"))]
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(texts))
    assert cli.one("SELECT command || ' ' || status FROM runs ORDER BY run_id DESC LIMIT 1") == (
        "follow ok"
    )
    # a rerun fetches nothing it has; --refetch-after 0s fetches again
    before = len(site.requests)
    code, stdout, _ = _follow(cli, site, "--allow-private")
    assert code == 0 and len(site.requests) == before
    assert "2 papers followed: 0 documents; 6 fetched recently, skipped" in stdout  # C: declared
    code, _, _ = _follow(cli, site, "--allow-private", "--refetch-after", "0s")
    assert code == 0 and len(site.requests) > before
    assert cli.one("SELECT count(*) FROM documents") == 7  # updated, not duplicated
    assert cli.one("SELECT count(*) FROM mentions") == 4


def test_a_page_on_a_private_address_is_refused_without_allow_private(
    cli: Cli, site: FakeWeb, tmp_path: Path
) -> None:
    _world(site)
    _seed(cli, tmp_path, [{"id": A, "title": "A"}])
    code, stdout, stderr = _follow(cli, site, "--channel", "hf,pages")
    assert code == 0, stderr
    assert "/a-project/" not in site.paths() and "/robots.txt" not in site.paths()
    assert cli.rows("SELECT channel, status, why FROM documents WHERE channel = 'pages'") == [
        ("pages", None, "private_address")
    ]
    assert "127.0.0.1 is a loopback address" in stderr
    assert "not read: 1 private_address" in stdout


def test_bad_documents_are_recorded_with_why_and_never_stop_the_run(
    cli: Cli, site: FakeWeb, tmp_path: Path
) -> None:
    pages = {
        "robots": site.route("/private/p.html", project_page(("Code", "https://github.com/x/y"))),
        "not_html": site.route("/paper.pdf", b"%PDF-1.4", content_type="application/pdf"),
        "too_large": site.route("/big/", "<p>" + "x" * (6 * 1024 * 1024)),
        "redirect_loop": site.redirect("/loop", "/loop"),
        "bad_redirect": site.redirect("/to-file", "file:///etc/passwd"),
    }
    site.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    deep = "<div>" * 100_000 + project_page(("GitHub", "https://github.com/good/repo"))
    good = site.route("/good/", deep)  # nested 100k deep: read, in linear time
    ids = [f"2504.{10000 + i}" for i in range(len(pages) + 1)]
    urls = [*pages.values(), good]
    _seed(
        cli,
        tmp_path,
        [
            {"id": i, "title": i, "comment": f"Project page: {u}"}
            for i, u in zip(ids, urls, strict=True)
        ],
    )
    # a truncated PDF and a scanned one as full texts
    site.route(f"/pdf/{ids[0]}", make_pdf([["x"]])[:200], content_type="application/pdf")
    site.route(f"/pdf/{ids[1]}", make_pdf([[]]), content_type="application/pdf")
    code, _, stderr = _follow(cli, site, "--allow-private", "--channel", "fulltext,pages")
    assert code == 0, stderr
    why = dict(cli.rows("SELECT url, why FROM documents WHERE channel = 'pages'"))
    assert why == {**{url: reason for reason, url in pages.items()}, good: None}
    assert "/private/p.html" not in site.paths() and "/big/" in site.paths()
    fulltext = dict(cli.rows("SELECT url, why FROM documents WHERE url LIKE '%/pdf/%'"))
    assert fulltext[f"{site.url}/pdf/{ids[0]}"].startswith("unreadable: is not a readable PDF")
    assert fulltext[f"{site.url}/pdf/{ids[1]}"].startswith("unreadable: is a PDF with no text")
    assert cli.rows("SELECT paper_id, repo_name, locus FROM mentions") == [
        (ids[-1], "good/repo", "code_link")
    ]
    assert "pages: harvester: not fetching" not in stderr  # one line per problem, no prefix twice


def test_dry_run_counts_documents_per_host_and_fetches_nothing(
    cli: Cli, site: FakeWeb, tmp_path: Path
) -> None:
    _seed(
        cli,
        tmp_path,
        [
            {
                "id": f"2505.{10000 + i}",
                "title": "t",
                "comment": "Project page: https://me.github.io/p",
            }
            for i in range(40)
        ],
    )
    code, stdout, stderr = _follow(cli, site, "--dry-run")
    assert code == 0, stderr
    host = site.url.removeprefix("http://")
    assert f"{host} (fulltext): 40 documents (~2 min)" in stdout  # 3 s apart
    assert f"{host} (hf): 40 documents (~20 s)" in stdout  # 0.5 s apart
    assert "me.github.io (pages): 40 documents (~41 s)" in stdout  # and its robots.txt
    assert "takes ~2 min" in stdout
    assert site.requests == []


def test_a_page_several_papers_share_is_fetched_once_and_recorded_for_each(
    cli: Cli, site: FakeWeb, tmp_path: Path
) -> None:
    page = site.route("/shared/", project_page(("Code", "https://github.com/lab/tool")))
    ids = [f"2505.{20000 + i}" for i in range(3)]
    _seed(cli, tmp_path, [{"id": i, "title": i, "comment": f"Website: {page}"} for i in ids])
    code, _, stderr = _follow(cli, site, "--channel", "pages", "--allow-private")
    assert code == 0, stderr
    assert site.paths() == ["/robots.txt", "/shared/"]
    assert cli.rows("SELECT paper_id FROM documents ORDER BY 1") == [(i,) for i in ids]
    assert cli.rows("SELECT paper_id FROM mentions WHERE locus = 'code_link' ORDER BY 1") == [
        (i,) for i in ids
    ]


def test_keep_documents_writes_what_was_fetched(cli: Cli, site: FakeWeb, tmp_path: Path) -> None:
    _world(site)
    _seed(cli, tmp_path, [{"id": B, "title": "B"}])
    kept = tmp_path / "kept"
    code, _, stderr = _follow(cli, site, "--keep-documents", str(kept), "--channel", "fulltext")
    assert code == 0, stderr
    files = list(kept.rglob("*"))
    assert [f.relative_to(kept).parts[0] for f in files if f.is_file()] == ["fulltext"]
    assert b"bob/b-code" in next(f for f in files if f.is_file()).read_bytes()


def test_harvest_follow_follows_the_new_papers(cli: Cli, site: FakeWeb, tmp_path: Path) -> None:
    _world(site)
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"id": B, "title": "B"}) + "\n")
    env = {"HARVESTER_HF_URL": site.url, "HARVESTER_FULLTEXT_URL": site.url}
    out = cli("harvest", str(path), "--no-stats", "--follow", "hf,fulltext", env=env)
    assert out.code == 0, out.stderr
    assert cli.rows("SELECT repo_name, source_field FROM mentions") == [("bob/b-code", "fulltext")]
    assert [r[0] for r in cli.rows("SELECT command FROM runs ORDER BY run_id")] == [
        "harvest",
        "follow",
    ]
    bad = cli("harvest", str(path), "--no-stats", "--follow", "pdf", env=env)
    assert bad.code == 2 and "--channel takes" in bad.stderr


def test_pages_are_reached_through_the_proxy_the_environment_names(
    cli: Cli, site: FakeWeb, tmp_path: Path, proxy: str
) -> None:
    page = site.route("/p/", project_page(("Code", "https://github.com/dan/d-code")))
    _seed(cli, tmp_path, [{"id": A, "title": "A", "comment": f"Project page: {page}"}])
    out = cli(
        "follow", "--channel", "pages", "--allow-private", env={"HTTP_PROXY": proxy}, github=False
    )
    assert out.code == 0, out.stderr
    assert ForwardProxy.seen == [f"{site.url}/robots.txt", page]
    assert cli.rows("SELECT repo_name, locus FROM mentions") == [("dan/d-code", "code_link")]


def test_which_papers_are_followed(cli: Cli, site: FakeWeb, tmp_path: Path) -> None:
    papers = [
        {"id": "2501.00001", "title": "old", "published": "2025-01-02"},
        {"id": "2503.00002", "title": "new", "published": "2025-03-02"},
        {"id": "2503.00003", "title": "newer", "published": "2025-03-05"},
        {"id": "2503.00004", "title": "declared", "published": "2025-03-06"},
        {"id": "title-only", "title": "no arXiv id", "published": "2025-03-07"},
    ]
    _seed(cli, tmp_path, papers)
    site.hf_paper("2503.00004", githubRepo="https://github.com/d/e")

    def count(*args: str) -> str:
        code, stdout, stderr = _follow(cli, site, "--dry-run", *args)
        assert code == 0, stderr
        return stdout.split(" papers to follow")[0].removeprefix("dry run: ")

    assert count() == "5"
    assert count("--since", "2025-03-01") == "4"
    assert count("--since", "2025-03-01", "--limit", "2") == "2"
    code, _, stderr = _follow(cli, site, "--channel", "hf", "--allow-private")
    assert code == 0, stderr
    assert count() == "4"  # 2503.00004 declared its repository on HF
    assert count("--all") == "5"
    # the paper without an arXiv id was asked of nobody
    assert cli.one("SELECT count(DISTINCT paper_id) FROM documents") == 4
    assert _follow(cli, site, "--since", "March")[0] == 2
    assert _follow(cli, site, "--refetch-after", "soon")[0] == 2
