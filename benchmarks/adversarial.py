"""Link extraction on hostile input stays linear: MB/s next to normal text, in the same run.

Each adversarial input is ~10 MB built to hurt a naive parser (endless hosts without a
repository, one line without spaces, deep LaTeX braces, paths that never end, lookalike hosts).
A backtracking parser would take minutes on some of these; a linear one stays within a small
factor of normal text. The same inputs at 1 MB and 10 MB show whether time grows linearly.

    python benchmarks/adversarial.py [--mb 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import time

from _common import SHARED, machine, median

from harvester.links import find_links
from harvester.sources.files import read_inputs


def normal_text(size: int) -> str:
    """Real abstracts from ../shared when present, repeated to ``size``; else generated prose."""
    days = sorted(str(p) for p in (SHARED / "data" / "hf-daily-papers").glob("*.json.gz"))
    parts = [paper.abstract or "" for paper in read_inputs(days)] if days else []
    if not parts:
        rng = random.Random(0)
        words = ["model", "data", "we", "propose", "code", "at", "results", "github", "the"]
        parts = [
            " ".join(rng.choice(words) for _ in range(150)) + " Code: https://github.com/lab/tool."
            for _ in range(2000)
        ]
    text = "\n".join(parts)
    return (text * (size // len(text) + 1))[:size]


def hostile(size: int) -> dict[str, str]:
    rng = random.Random(1)
    no_spaces = "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz0123456789./-_{}") for _ in range(size)
    )
    return {
        "'github.com/' repeated": ("github.com/" * (size // 11))[:size],
        "'https://github.com/' + 'a/' forever": "https://github.com/" + "a/" * (size // 2),
        "one line, no spaces": no_spaces,
        "deep braces around a link": "{" * (size // 2) + "github.com/a/b" + "}" * (size // 2),
        "LaTeX doubling, repeated": ("github.com/x/y{https://github.com/x/y}" * size)[:size],
        "lookalike hosts": ("github.com.evil.io/a/b evilgithub.com/a/b " * size)[:size],
        "'x.github.io' chains": ("x.github.io." * (size // 12))[:size],
        "a 10 MB repository name": "github.com/owner/" + "r" * size,
        "'github.' without a host": ("github." * (size // 7))[:size],
    }


def rate(text: str, runs: int) -> tuple[float, int]:
    """MB/s (median of runs) and the number of links found."""
    times = []
    found = 0
    for _ in range(runs):
        started = time.perf_counter()
        found = len(find_links(text))
        times.append(time.perf_counter() - started)
    return len(text.encode()) / 1e6 / median(times), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    size = args.mb * 1_000_000
    print(machine())
    print(f"find_links on ~{args.mb} MB inputs, one call each; median of {args.runs} runs\n")
    base, found = rate(normal_text(size), args.runs)
    print(f"{'normal text (real abstracts)':40} {base:8.1f} MB/s  {found:6} links  1.00x")
    for name, text in hostile(size).items():
        mbps, found = rate(text, args.runs)
        small, _ = rate(text[: size // 10], args.runs)
        print(
            f"{name:40} {mbps:8.1f} MB/s  {found:6} links  {mbps / base:.2f}x of normal;"
            f" at 1/10 the size {small:8.1f} MB/s"
        )


if __name__ == "__main__":
    main()
