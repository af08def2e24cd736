"""Precision and recall of the README rule (``harvester.placeholder.readme_promise``) on the
real READMEs in ``../shared/data/pages/*/README.md``, against labels set by hand.

The labels and how they were set: ``tests/placeholder_labels.py``.

    python benchmarks/placeholder.py
"""

from __future__ import annotations

import sys
import time

from _common import SHARED

from harvester.placeholder import readme_promise
from tests.placeholder_labels import PROMISE

PAGES = SHARED / "data" / "pages"


def main() -> int:
    files = sorted(PAGES.glob("*/README.md"))
    if not files:
        print(f"no READMEs under {PAGES}: set HARVESTER_SHARED", file=sys.stderr)
        return 2
    tp = fp = fn = tn = 0
    for path in files:
        paper = path.parent.name
        said = readme_promise(path.read_text("utf-8", errors="replace"))
        truth = paper in PROMISE
        if said and truth:
            tp += 1
        elif said:
            fp += 1
            print(f"false positive {paper}: {said}")
        elif truth:
            fn += 1
            print(f"false negative {paper}")
        else:
            tn += 1
    texts = [path.read_text("utf-8", errors="replace") for path in files]
    size = sum(len(t.encode()) for t in texts)
    start = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for text in texts:
            readme_promise(text)
    took = (time.perf_counter() - start) / rounds
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(
        f"{len(files)} READMEs, {len(PROMISE)} labelled promise: tp {tp}, fp {fp}, fn {fn}, "
        f"tn {tn}; precision {precision:.2f}, recall {recall:.2f}"
    )
    print(
        f"speed: {size / took / 1e6:.1f} MB/s, {took / len(texts) * 1000:.2f} ms per README "
        f"(mean of {rounds} rounds over {size / 1e6:.1f} MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
