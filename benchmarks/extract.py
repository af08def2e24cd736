"""Link extraction speed and recall: harvester.links vs. urlextract (+ the cleanup it needs).

(a) the real Hugging Face days in ../shared/data/hf-daily-papers (all 415): `mentions_for` per
    paper (title, abstract, comment, githubRepo), papers parsed beforehand;
(b) a generated corpus (default 200 MB; _corpus.py): abstracts of 300-2,000 characters, about
    half citing a repository, 15% of the links in a messy spelling seen in the real data, a few
    lookalike decoys; `find_links` per abstract, scored against the known answer.

Side by side in the same run, single-threaded (one core):
- floor: `"github." in text.lower()` — reading the text once, the least any scan costs;
- harvester.links;
- a naive regex that starts with optional prefixes (on a sample);
- urlextract's `find_urls` + cleanup to `owner/name` (trailing punctuation, LaTeX braces,
  `.git`, paths, `www.`, github.io pages, reserved owners) — on a sample, since it runs at
  well under 1 MB/s; harvester is timed on the same sample for the ratio.
Rates are the median of --runs runs (urlextract: --slow-runs).

    python benchmarks/extract.py [--mb 200] [--sample-mb 1] [--runs 5] [--quick]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Any

from _common import SHARED, machine, median
from _corpus import Expected, Generator

from harvester import links
from harvester.models import TEXT_FIELDS, Paper
from harvester.sources.files import read_inputs

HF_DAYS = SHARED / "data" / "hf-daily-papers"
GOAL_MBS = 150.0
GOAL_RATIO = 500.0

NAIVE = re.compile(
    r"(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9-]{1,39})/([A-Za-z0-9._-]{1,100})",
    re.IGNORECASE,
)
_CUT = re.compile(r"[{}()<>\[\]\s\"']")
_TRAIL = ".,;:!?'\""
_FILE_EXTENSIONS = {"html", "htm", "php", "pdf", "md", "txt", "json", "png", "jpg", "ipynb"}

Found = set[tuple[str, str]]


def naive_links(text: str) -> Found:
    return {(f"{o}/{n.rstrip('.')}".lower(), "repo") for o, n in NAIVE.findall(text)}


def clean_url(url: str) -> tuple[str, str] | None:
    """urlextract's URL -> (repo_name, kind): the cleanup its output needs for our question."""
    url = _CUT.split(url, maxsplit=1)[0].rstrip(_TRAIL)
    url = re.sub(r"^[A-Za-z]+://", "", url)
    host, _, path = url.partition("/")
    host = host.lower().removeprefix("www.")
    parts = [p for p in path.split("/") if p]
    if host == "github.com":
        if len(parts) < 2 or parts[0].lower() in links.RESERVED_OWNERS:
            return None
        name = parts[1].split("?")[0].split("#")[0].rstrip(".")
        name = name[:-4] if name.lower().endswith(".git") else name
        if not (links.is_valid_owner(parts[0]) and links.is_valid_repo(name)):
            return None
        return f"{parts[0]}/{name}".lower(), "repo"
    if host.endswith(".github.io") and host.count(".") == 2:
        owner = host.removesuffix(".github.io")
        project = parts[0].rstrip(".") if parts else ""
        if (
            not project
            or project.isdigit()  # a dated blog path
            or project.rpartition(".")[2].lower() in _FILE_EXTENSIONS
            or not links.is_valid_repo(project)
        ):
            project = f"{owner}.github.io"
        return f"{owner}/{project}".lower(), "pages"
    return None


def make_urlextract() -> Callable[[str], Found]:
    from urlextract import URLExtract

    extractor = URLExtract()

    def find(text: str) -> Found:
        found = (clean_url(u) for u in extractor.find_urls(text, only_unique=True))
        return {f for f in found if f is not None}

    return find


def harvester_links(text: str) -> Found:
    return {(link.repo_name, link.kind) for link in links.find_links(text)}


def floor(text: str) -> bool:
    return "github." in text.lower()


def rate(fn: Callable[[Any], object], items: Sequence[Any], runs: int) -> float:
    """Median seconds of ``fn`` over every item."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for item in items:
            fn(item)
        times.append(time.perf_counter() - started)
    return median(times)


def sample(texts: Sequence[str], mb: float) -> list[str]:
    """The first texts holding ``mb`` MB, for the slow baselines."""
    sizes = list(accumulate(len(t.encode()) for t in texts))
    cut = next((i for i, s in enumerate(sizes) if s >= mb * 1e6), len(texts) - 1) + 1
    return list(texts[:cut])


def mb(texts: Sequence[str]) -> float:
    return sum(len(t.encode()) for t in texts) / 1e6


def score(found: Sequence[Found], expected: Sequence[Expected]) -> tuple[float, int, int]:
    """(recall, links expected, false positives)."""
    hits = sum(len(f & e) for f, e in zip(found, expected, strict=True))
    total = sum(len(e) for e in expected)
    false = sum(len(f - e) for f, e in zip(found, expected, strict=True))
    return (hits / total if total else 1.0), total, false


def line(label: str, megabytes: float, seconds: float, items: int, unit: str) -> float:
    speed = megabytes / seconds
    print(f"  {label:<34} {speed:>9.1f} MB/s {items / seconds:>12,.0f} {unit}/s")
    return speed


def bench_real(args: argparse.Namespace, urlextract: Callable[[str], Found]) -> None:
    if not HF_DAYS.is_dir():
        print(f"(a) SKIPPED: real data not found at {HF_DAYS} (set HARVESTER_SHARED)\n")
        return
    papers = list(read_inputs([str(HF_DAYS)]))
    days = len(list(HF_DAYS.glob("*.json*")))
    fields = [*TEXT_FIELDS, "hf_github_repo"]

    def texts_of(p: Paper) -> list[str]:
        return [v for f in fields if (v := getattr(p, f))]

    size = sum(len(t.encode()) for p in papers for t in texts_of(p))
    print(
        f"(a) real: {days} days of HF Daily Papers, {len(papers):,} papers, {size / 1e6:.1f} MB "
        f"of title+abstract+comment+githubRepo; median of {args.runs} runs"
    )
    flat = [t for p in papers for t in texts_of(p)]
    line("floor: 'github.' in text.lower()", size / 1e6, rate(floor, flat, args.runs), len(papers),
         "papers")  # fmt: skip
    speed = line(
        "harvester mentions_for", size / 1e6, rate(links.mentions_for, papers, args.runs),
        len(papers), "papers",
    )  # fmt: skip
    # Same sample (the first papers holding --sample-mb) for urlextract and harvester.
    joined = ["\n".join(texts_of(p)) for p in papers]
    part = sample(joined, args.sample_mb)
    part_mb = mb(part)
    ours = rate(harvester_links, part, args.runs)
    theirs = rate(urlextract, part, args.slow_runs)
    print(f"  on a sample of {len(part):,} papers ({part_mb:.2f} MB), texts joined per paper:")
    line("harvester find_links", part_mb, ours, len(part), "papers")
    line("urlextract + cleanup", part_mb, theirs, len(part), "papers")
    a = [harvester_links(t) for t in part]
    b = [urlextract(t) for t in part]
    both = sum(len(x & y) for x, y in zip(a, b, strict=True))
    only_a = sum(len(x - y) for x, y in zip(a, b, strict=True))
    only_b = sum(len(y - x) for x, y in zip(a, b, strict=True))
    print(
        f"  agreement on the sample (no ground truth for real text): found by both {both}, "
        f"only harvester {only_a}, only urlextract+cleanup {only_b}"
    )
    for x, y in [(x, y) for x, y in zip(a, b, strict=True) if x != y][:4]:
        print(f"    e.g. harvester {sorted(x - y)} / urlextract {sorted(y - x)}")
    print(
        f"  ratio harvester / urlextract (same sample): {theirs / ours:,.0f}x; "
        f"goal >= {GOAL_MBS:.0f} MB/s -> {'met' if speed >= GOAL_MBS else 'MISSED'} "
        f"({speed:.0f} MB/s)\n"
    )


def bench_generated(args: argparse.Namespace, urlextract: Callable[[str], Found]) -> None:
    started = time.perf_counter()
    gen = Generator(seed=6, messy=0.15)
    corpus = list(gen.texts(int(args.mb * 1e6)))
    texts = [t for t, _ in corpus]
    expected = [e for _, e in corpus]
    size = mb(texts)
    print(
        f"(b) generated: {len(texts):,} abstracts, {size:.0f} MB, {gen.links:,} links of which "
        f"{gen.messy_links / gen.links:.0%} messy (built in {time.perf_counter() - started:.1f} "
        f"s); median of {args.runs} runs"
    )
    line("floor: 'github.' in text.lower()", size, rate(floor, texts, args.runs), len(texts),
         "abstracts")  # fmt: skip
    speed = line(
        "harvester find_links", size, rate(links.find_links, texts, args.runs), len(texts),
        "abstracts",
    )  # fmt: skip
    recall, total, false = score([harvester_links(t) for t in texts], expected)
    print(f"    recall {recall:.2%} of {total:,} links, {false} false positives")

    part = sample(texts, args.sample_mb)
    part_exp = expected[: len(part)]
    part_mb = mb(part)
    naive_part = sample(texts, args.naive_mb)
    naive_mb = mb(naive_part)
    print(f"  on samples (the first abstracts holding {args.sample_mb:g} / {args.naive_mb:g} MB):")
    ours = rate(harvester_links, part, args.runs)
    theirs = rate(urlextract, part, args.slow_runs)
    naive = rate(naive_links, naive_part, args.slow_runs)
    line(f"naive regex, optional prefixes ({naive_mb:.1f} MB)", naive_mb, naive, len(naive_part),
         "abstracts")  # fmt: skip
    r_naive = score([naive_links(t) for t in naive_part], expected[: len(naive_part)])
    print(f"    recall {r_naive[0]:.2%} of {r_naive[1]:,} links, {r_naive[2]} false positives")
    line(f"harvester find_links ({part_mb:.1f} MB)", part_mb, ours, len(part), "abstracts")
    r_ours = score([harvester_links(t) for t in part], part_exp)
    print(f"    recall {r_ours[0]:.2%} of {r_ours[1]:,} links, {r_ours[2]} false positives")
    line(f"urlextract + cleanup ({part_mb:.1f} MB)", part_mb, theirs, len(part), "abstracts")
    r_theirs = score([urlextract(t) for t in part], part_exp)
    print(f"    recall {r_theirs[0]:.2%} of {r_theirs[1]:,} links, {r_theirs[2]} false positives")
    ratio = theirs / ours
    print(
        f"  ratio harvester / urlextract (same sample): {ratio:,.0f}x; "
        f"harvester / naive regex: {naive / naive_mb / (ours / part_mb):,.0f}x"
    )
    print(
        f"  goals: >= {GOAL_MBS:.0f} MB/s on one core -> "
        f"{'met' if speed >= GOAL_MBS else 'MISSED'} ({speed:.0f} MB/s); "
        f">= {GOAL_RATIO:.0f}x urlextract -> {'met' if ratio >= GOAL_RATIO else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200, help="generated corpus size, MB")
    parser.add_argument("--sample-mb", type=float, default=1.0, help="urlextract sample, MB")
    parser.add_argument("--naive-mb", type=float, default=5.0, help="naive regex sample, MB")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slow-runs", type=int, default=1, help="runs of the slow baselines")
    parser.add_argument("--quick", action="store_true", help="20 MB, 0.3 MB samples, 3 runs")
    args = parser.parse_args()
    if args.quick:
        args.mb, args.sample_mb, args.naive_mb, args.runs = 20, 0.3, 1, 3

    print(machine())
    try:
        urlextract = make_urlextract()
    except ImportError:
        raise SystemExit("urlextract is not installed: pip install -e '.[bench]'") from None
    print("single thread; rates are MB of UTF-8 text scanned per second\n")
    bench_real(args, urlextract)
    bench_generated(args, urlextract)


if __name__ == "__main__":
    main()
