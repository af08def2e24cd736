"""Generated corpora for the benchmarks: abstracts with GitHub links whose answer is known.

Deterministic (``random.Random(seed)``), no shared data needed. Text is drawn from a fixed
scientific vocabulary; about half of the abstracts cite a repository (the real Hugging Face days
have ~0.6 mentions per paper). Of the links, ``messy`` (default 15%) use one of the spellings
seen in the real abstracts (DATA.md): LaTeX leftovers, a doubled URL in braces, ``/tree/...``,
``.git``, no scheme, ``www.``, wrapped in ``()``/``<>``, a ``/.`` ending, markdown, a space or
line break after a ``/``. The rest are clean, as most real links are: ``https://github.com/o/r``
at the end of a sentence or followed by a space, a tenth of them ``owner.github.io/project``
pages. A few decoys that must not count (``evilgithub.com``, ``gist.github.com``, ``/orgs/``,
``github.com.evil.io``) are mixed in.

Every text comes with its expected set of ``(repo_name, kind)``, so any extractor's recall and
false positives are measured against the same answer.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

Expected = frozenset[tuple[str, str]]

WORDS = (  # noqa: SIM905 - prose reads better than a list of 130 quoted words
    "we propose a novel framework for learning representations from large scale multimodal data "
    "our method achieves state of the art results on several benchmarks including image "
    "classification object detection and semantic segmentation while reducing the computational "
    "cost by an order of magnitude experiments demonstrate that the proposed approach "
    "generalizes across domains and outperforms strong baselines transformer attention "
    "diffusion model language reasoning agent reinforcement policy gradient reward retrieval "
    "augmented generation benchmark dataset evaluation robustness efficiency scaling law "
    "pretraining finetuning alignment preference optimization token sequence context window "
    "latent space encoder decoder convolution graph neural network vision video audio speech "
    "3D point cloud mesh rendering radiance field gaussian splatting robot manipulation "
    "navigation planning theorem proving mathematical code synthesis program repair the of in "
    "and to with on for by from that this is are be which as an at"
).split()

_OWNER_SYLLABLES = ("ai", "lab", "nlp", "cv", "ml", "deep", "open", "tsinghua", "meta", "group",
                    "research", "team", "x", "uni", "vision", "data", "hub", "kai", "zhang",
                    "li", "wang", "chen", "liu", "smith")  # fmt: skip
_NAME_SYLLABLES = ("llm", "net", "former", "diff", "bench", "gen", "rag", "agent", "vla",
                   "seg", "3d", "-", "_", ".", "v2", "flash", "attn", "tool", "code", "mind",
                   "Reason", "Vid", "Pro", "R1")  # fmt: skip


def _owner(rng: random.Random) -> str:
    parts = [rng.choice(_OWNER_SYLLABLES) for _ in range(rng.randint(1, 3))]
    owner = "-".join(parts) if rng.random() < 0.3 else "".join(parts)
    return (owner + str(rng.randint(0, 9999)))[:39]


def _name(rng: random.Random) -> str:
    name = "".join(rng.choice(_NAME_SYLLABLES) for _ in range(rng.randint(1, 4)))
    name = name.strip(".-_") or "repo"
    return name + (str(rng.randint(1, 99)) if rng.random() < 0.3 else "")


class Repos:
    """Repository names: a popular pool cited again and again, and a long tail of new ones."""

    def __init__(self, rng: random.Random, popular: int = 2000) -> None:
        self.rng = rng
        self.pool = [f"{_owner(rng)}/{_name(rng)}" for _ in range(popular)]

    def pick(self) -> str:
        if self.rng.random() < 0.3:
            return self.rng.choice(self.pool)
        return f"{_owner(self.rng)}/{_name(self.rng)}"


# Clean and messy spellings: (owner, name) -> (text as written, (repo_name, kind) expected).
Spelling = Callable[[str, str], tuple[str, tuple[str, str]]]


def _repo(o: str, n: str) -> tuple[str, str]:
    return (f"{o}/{n}".lower(), "repo")


CLEAN: tuple[Spelling, ...] = (
    lambda o, n: (f"https://github.com/{o}/{n}.", _repo(o, n)),
    lambda o, n: (f"https://github.com/{o}/{n} .", _repo(o, n)),
    lambda o, n: (f"https://github.com/{o}/{n},", _repo(o, n)),
    lambda o, n: (f"https://github.com/{o}/{n}", _repo(o, n)),
)
PAGES: Spelling = lambda o, n: (f"https://{o}.github.io/{n}/.", (f"{o}/{n}".lower(), "pages"))  # noqa: E731
MESSY: tuple[Spelling, ...] = (
    lambda o, n: (f"https://github.com/{o}/{n}{{this url}}", _repo(o, n)),
    lambda o, n: (f"https://github.com/{o}/{n}{{https://github.com/{o}/{n}}}", _repo(o, n)),
    lambda o, n: (f"https://github.com/{o}/{n}/tree/main/src.", _repo(o, n)),
    lambda o, n: (f"https://github.com/{o}/{n}/blob/main/README.md", _repo(o, n)),
    lambda o, n: (f"https://github.com/{o}/{n}.git", _repo(o, n)),
    lambda o, n: (f"github.com/{o}/{n}.", _repo(o, n)),
    lambda o, n: (f"(https://github.com/{o}/{n})", _repo(o, n)),
    lambda o, n: (f"<https://github.com/{o}/{n}>.", _repo(o, n)),
    lambda o, n: (f"https://github.com/{o}/{n}/.", _repo(o, n)),
    lambda o, n: (f"[GitHub](https://github.com/{o}/{n})", _repo(o, n)),
    lambda o, n: (f"https://www.github.com/{o}/{n}", _repo(o, n)),
    lambda o, n: (f"https://github.com/{o}/ {n}", _repo(o, n)),
    lambda o, n: (f"https://github.com/{o}/\n{n}.", _repo(o, n)),
    lambda o, n: (f"https://github.com/{o}/{n}}}.", _repo(o, n)),
)
DECOYS: tuple[Callable[[str, str], str], ...] = (
    lambda o, n: f"https://evilgithub.com/{o}/{n}",
    lambda o, n: f"https://gist.github.com/{o}/{n}",
    lambda o, n: f"https://github.com/orgs/{o}",
    lambda o, n: f"https://github.com.evil.io/{o}/{n}",
)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[:1].upper() + text[1:]


class Generator:
    """Abstracts with known links. ``link_rate``: share of abstracts citing a repository;
    ``messy``: share of links written messily; ``decoy_rate``: share with a lookalike."""

    def __init__(
        self,
        seed: int = 6,
        *,
        link_rate: float = 0.5,
        messy: float = 0.15,
        pages: float = 0.1,
        decoy_rate: float = 0.01,
    ) -> None:
        self.rng = random.Random(seed)
        self.repos = Repos(self.rng)
        # Sentences are drawn from a pool: building each from words made generation the slowest
        # part of the memory benchmark (80 s per 1M papers).
        self.sentences = [_sentence(self.rng, self.rng.randint(8, 24)) + "." for _ in range(5000)]
        self.titles = [_sentence(self.rng, self.rng.randint(5, 12)) for _ in range(5000)]
        self.link_rate = link_rate
        self.messy = messy
        self.pages = pages
        self.decoy_rate = decoy_rate
        self.links = 0
        self.messy_links = 0

    def _link(self) -> tuple[str, tuple[str, str]]:
        o, n = self.repos.pick().split("/")
        self.links += 1
        r = self.rng.random()
        if r < self.messy:
            self.messy_links += 1
            return self.rng.choice(MESSY)(o, n)
        if r < self.messy + self.pages:
            return PAGES(o, n)
        return self.rng.choice(CLEAN)(o, n)

    def abstract(self, chars: int = 1000) -> tuple[str, Expected]:
        rng = self.rng
        parts: list[str] = []
        size = 0
        sentences = self.sentences
        while size < chars:
            sentence = sentences[int(rng.random() * 5000)]
            parts.append(sentence)
            size += len(sentence) + 1
        expected: set[tuple[str, str]] = set()
        if rng.random() < self.link_rate:
            for _ in range(1 if rng.random() < 0.85 else 2):
                text, answer = self._link()
                expected.add(answer)
                at = rng.randint(1, len(parts))
                parts.insert(at, f"Code is available at {text}")
        if rng.random() < self.decoy_rate:
            o, n = self.repos.pick().split("/")
            parts.insert(rng.randint(0, len(parts)), f"See {rng.choice(DECOYS)(o, n)} .")
        return " ".join(parts), frozenset(expected)

    def title(self) -> str:
        return self.titles[int(self.rng.random() * 5000)]

    def texts(self, total_bytes: int) -> Iterator[tuple[str, Expected]]:
        """Abstracts of 300-2,000 characters until ``total_bytes`` of UTF-8 are produced."""
        produced = 0
        while produced < total_bytes:
            text, expected = self.abstract(self.rng.randint(300, 2000))
            produced += len(text.encode())
            yield text, expected


def paper_id(i: int) -> str:
    """A distinct new-style arXiv id per i (yymm.NNNNN), months from 2001 on."""
    month, number = divmod(i, 99_999)
    year, mm = divmod(month, 12)
    return f"{(year + 20) % 100:02d}{mm + 1:02d}.{number + 1:05d}"


def write_papers_jsonl(
    path: Path, n: int, *, seed: int = 6, marks: Sequence[int] = ()
) -> dict[int, int]:
    """``n`` JSONL paper records (~1.2 KB each). Returns the byte offset after the first ``m``
    records for each ``m`` in ``marks`` and ``n`` (a prefix is a smaller corpus)."""
    gen = Generator(seed)
    written = 0
    offsets: dict[int, int] = {}
    wanted = set(marks)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            if i in wanted:
                offsets[i] = written
            abstract, _ = gen.abstract(gen.rng.randint(800, 1100))
            record = {
                "id": paper_id(i),
                "title": gen.title(),
                "abstract": abstract,
                "published": f"20{20 + i // 1_200_000:02d}-{1 + (i // 99_999) % 12:02d}-15",
            }
            if i % 7 == 0:
                record["comment"] = f"Accepted at a conference; {i % 40 + 5} pages"
            line = json.dumps(record) + "\n"
            written += len(line.encode())
            out.write(line)
    offsets[n] = written
    return offsets


def copy_prefix(source: Path, target: Path, size: int) -> None:
    """The first ``size`` bytes of ``source`` into ``target``."""
    with open(source, "rb") as raw, open(target, "wb") as out:
        left = size
        while left and (chunk := raw.read(min(left, 1 << 20))):
            out.write(chunk)
            left -= len(chunk)


def gzip_copy(source: Path, target: Path, level: int = 1) -> int:
    """``source`` gzipped into ``target`` (level 1: fast; the reader does not care); its size."""
    with open(source, "rb") as raw, gzip.open(target, "wb", compresslevel=level) as out:
        while chunk := raw.read(1 << 20):
            out.write(chunk)
    return target.stat().st_size
