"""Which channels find a paper's own code, with the author-declared repository hidden.

    python benchmarks/coverage.py [SHARED_DATA_DIR]   (default ../shared/data)

Offline, from the files, through the same rules the store uses (``harvester.roles.assign``):

* ``abstract``: links in the HF record's title/abstract (``links.mentions_for`` without the
  ``githubRepo`` field);
* ``pages``: the project page (``pages/<id>/project.html``) through the HTML reader;
* ``readme``: reverse search simulated on the README corpus (every ``pages/<id>/README.md``):
  ``"ID" in:readme``, then ``"TITLE" in:readme`` while nothing is confirmed, matched as GitHub
  matches a quoted phrase (words in order, punctuation ignored: an assumption), each hit
  confirmed by the back-link rule; plus the back-link of every candidate another channel found
  whose README is in the corpus;
* ``fulltext``: the three real PDFs (``fulltext/``), reported on their own.

For each channel alone and combined: the share of papers whose declared repository
(``truth_repo``, hidden from the run) is labelled ``official``, over the papers whose page or
README is available, and the precision of ``official``: the paper's first-ranked official
repository is the declared one. The abstract-only figure is over every HF paper with a
``githubRepo`` (the dev set was chosen with the repository absent from its abstract).
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections import Counter
from pathlib import Path

from _common import SHARED, machine  # type: ignore[import-not-found]

from harvester.backlinks import KnownPaper, scan
from harvester.links import mentions_for
from harvester.models import Paper, name_key
from harvester.readmes import search_phrases
from harvester.roles import Evidence, assign, channel_of, weight
from harvester.sources.files import read_inputs
from harvester.sources.files.html import read_html
from harvester.sources.files.pdf import read_pdf

CHANNELS = ("abstract", "pages", "readme")
_NOT_WORDS = re.compile(r"<[^>]*>|[^0-9a-z<]+|<")


def _manifest(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _own_text(paper: Paper) -> list[Evidence]:
    hidden = dataclasses.replace(paper, hf_github_repo=None)
    return [
        Evidence(m.paper_id, m.repo_name, channel_of(m.source_field), m.locus or m.source_field)
        for m in mentions_for(hidden)
        if m.kind == "repo"
    ]


def hf_papers(data: Path) -> dict[str, Paper]:
    papers: dict[str, Paper] = {}
    for paper in read_inputs([str(data / "hf-daily-papers")]):
        papers.setdefault(paper.paper_id, paper)
    return papers


def abstract_only(papers: dict[str, Paper]) -> tuple[int, int, int]:
    """(papers with a declared repository, labelled official from the abstract, first-ranked)."""
    total = found = first = 0
    for paper in papers.values():
        declared = [m for m in mentions_for(paper) if m.source_field == "hf_github_repo"]
        if not declared or declared[0].kind != "repo":
            continue
        total += 1
        truth = declared[0].repo_name
        roles = [r for r in assign(_own_text(paper)) if r.role == "official"]
        found += any(r.repo == truth for r in roles)
        first += bool(roles) and roles[0].repo == truth
    return total, found, first


def _page_evidence(folder: Path, paper_id: str) -> list[Evidence]:
    page = folder / "project.html"
    if not page.is_file():
        return []
    text = page.read_text("utf-8", errors="replace")
    return [
        Evidence(paper_id, m.repo_name, "pages", m.locus)
        for p in read_html(text, f"{paper_id}/project.html")
        for m in p.mentions
        if m.kind == "repo"
    ]


def _words(text: str) -> str:
    """Text as GitHub's search matches a quoted phrase (assumed: its words in order; case,
    punctuation and HTML tags ignored), padded with spaces."""
    return " " + " ".join(_NOT_WORDS.sub(" ", text.lower()).split()) + " "


def _readme_evidence(
    paper: KnownPaper, readmes: dict[str, str], candidates: set[str]
) -> list[Evidence]:
    """Reverse search as ``readmes.reverse_search`` does it (the id, then the title while
    nothing is confirmed), plus the back-links of ``candidates``; each README confirmed by the
    back-link rule (a list's citations weigh nothing: roles.py)."""
    found: list[Evidence] = []
    searched: set[str] = set()
    for phrase in search_phrases(paper.paper_id, paper.title):
        needle = _words(phrase)
        hits = {repo for repo, text in readmes.items() if needle in _words(text)} - searched
        searched |= hits
        confirmed = _confirm(paper, readmes, hits)
        found += confirmed
        if any(weight(e) > 0 for e in confirmed):
            break
    return found + _confirm(paper, readmes, (candidates & readmes.keys()) - searched)


def _confirm(paper: KnownPaper, readmes: dict[str, str], repos: set[str]) -> list[Evidence]:
    found: list[Evidence] = []
    for repo in sorted(repos):
        result = scan(readmes[repo], [paper])
        found.extend(
            Evidence(paper.paper_id, repo, "readme", c.how, result.cited_total)
            for c in result.citations
        )
    return found


def _score(
    evidence: dict[str, list[Evidence]], truth: dict[str, str], channels: tuple[str, ...]
) -> tuple[int, int, int, set[str]]:
    """(labelled official, papers with any official, first-ranked is the truth, papers found)."""
    items = [e for paper in evidence.values() for e in paper if e.channel in channels]
    by_paper: dict[str, list[str]] = {}
    for role in assign(items):
        if role.role == "official":
            by_paper.setdefault(role.paper_id, []).append(role.repo)
    found = {p for p, repos in by_paper.items() if truth[p] in repos}
    first = sum(1 for p, repos in by_paper.items() if repos[0] == truth[p])
    return len(found), len(by_paper), first, found


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED / "data"
    print(machine())
    if not (data / "pages" / "manifest.jsonl").is_file():
        print(f"no real data at {data}: nothing measured")
        return
    hf = hf_papers(data)
    total, found, first = abstract_only(hf)
    print(
        f"abstract only, every HF paper with a githubRepo: {found}/{total} = {found / total:.1%} "
        f"labelled official ({first / total:.1%} ranked first)"
    )
    pages = data / "pages"
    manifest = _manifest(pages / "manifest.jsonl")
    readmes = {
        name_key(str(e["readme_repo"])): (pages / str(e["arxiv_id"]) / "README.md").read_text(
            "utf-8", errors="replace"
        )
        for e in manifest
        if e.get("readme_repo") and (pages / str(e["arxiv_id"]) / "README.md").is_file()
    }
    truth: dict[str, str] = {}
    evidence: dict[str, list[Evidence]] = {}
    for entry in manifest:
        paper_id = str(entry["arxiv_id"])
        folder = pages / paper_id
        if not (folder / "project.html").is_file() and not (folder / "README.md").is_file():
            continue
        truth[paper_id] = name_key(str(entry["truth_repo"]))
        record = hf.get(paper_id) or Paper(paper_id, "manifest", title=str(entry["title"]))
        items = _own_text(record) + _page_evidence(folder, paper_id)
        known = KnownPaper(paper_id, paper_id, None, record.title or str(entry["title"]))
        items += _readme_evidence(known, readmes, {e.repo for e in items})
        evidence[paper_id] = items
    n = len(truth)
    print(
        f"dev set (pages/manifest.jsonl): {n} papers with a page or README available, "
        f"declared repository hidden; {len(readmes)} READMEs in the search corpus"
    )
    print(f"{'channels':<26}{'official = declared':>22}{'precision (first)':>20}")
    alone: dict[str, set[str]] = {}
    for channels in [(c,) for c in CHANNELS] + [CHANNELS]:
        got, labelled, first, found_set = _score(evidence, truth, channels)
        if len(channels) == 1:
            alone[channels[0]] = found_set
        precision = first / labelled if labelled else 0.0
        print(
            f"{'+'.join(channels):<26}{got:>4}/{n} = {got / n:6.1%}      "
            f"{first:>4}/{labelled} = {precision:6.1%}"
        )
    only = Counter()
    for paper in truth:
        channels_found = [c for c in CHANNELS if paper in alone[c]]
        if len(channels_found) == 1:
            only[channels_found[0]] += 1
    print("found by one channel alone: " + ", ".join(f"{c} {only[c]}" for c in CHANNELS))
    _fulltext(data / "fulltext")


def _fulltext(folder: Path) -> None:
    manifest = folder / "manifest.jsonl"
    if not manifest.is_file():
        return
    entries = _manifest(manifest)
    got = 0
    for entry in entries:
        data = (folder / str(entry["file"])).read_bytes()
        items = [
            Evidence(str(entry["arxiv_id"]), m.repo_name, "fulltext", m.locus)
            for p in read_pdf(data, str(entry["file"]))
            for m in p.mentions
            if m.kind == "repo"
        ]
        roles = [r for r in assign(items) if r.role == "official"]
        got += bool(roles) and roles[0].repo == name_key(str(entry["truth_repo"]))
    print(f"fulltext (real PDFs): {got}/{len(entries)} declared repositories official, first")


if __name__ == "__main__":
    main()
