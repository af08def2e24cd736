"""A batch of papers and their mentions as the store stages them: pure, no I/O, no duckdb.

``PaperBatch.of(papers, mentions)`` does the Python side of a batch's write: a paper repeated in
the batch counts once (the last one read wins; it keeps the position of the first), a mention
repeated (same paper, name, field, kind) once (the first), and the papers become the staging
table's columns. ``batches`` cuts a harvest's papers into such batches, with their mentions: on
the harvest's reading thread, or in a worker process (``harvester.worker``) that sends them,
plain lists and tuples of strings, dates and numbers that pickle cheaply, to the writer.
``Store.save_papers`` prepares the batches other writers give it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from itertools import islice
from operator import attrgetter, is_not
from typing import Any, NamedTuple

from harvester.models import Mention, Paper

PAPER_COLUMNS = (
    "paper_id",
    "source",
    "title",
    "abstract",
    "comment",
    "published_at",
    "url",
    "hf_github_repo",
    "hf_github_stars",
    "project_page",
    "upvotes",
    "organization",
    "listed_on",
    "authors",
    "categories",
    "primary_category",
    "doi",
    "journal_ref",
    "license",
)
# Tuples on Paper, VARCHAR[] in papers, () stored as null. They are staged as one string each
# (joined by LIST_SEPARATORS) and split by the upsert: the Appender takes a string ~6x faster
# than a list (80k rows of 6 authors and 2 categories: 1.3 s as lists, 0.2 s + 0.2 s to split).
# Categories never hold a space (arXiv writes them space-separated); names never hold U+001F.
LIST_SEPARATORS = {"authors": "\x1f", "categories": " "}

# A mention's staged values but the run (``first_run_id``, which the writer adds): paper_id,
# repo_name, source_field, kind, repo, url, locus, context.
MentionRow = tuple[str, str, str, str, str | None, str | None, str | None, str | None]


class PaperBatch(NamedTuple):
    """One batch, ready to stage: ``columns`` (the ``PAPER_COLUMNS`` not null in every paper,
    ``paper_id`` always first) and their ``values``, one list per column and one item per
    distinct paper (``rows`` turns them into the staging table's rows); one ``MentionRow`` per
    distinct mention. Column by column: fewer objects to build and to pickle than rows."""

    columns: tuple[str, ...]
    values: tuple[list[Any], ...]
    mentions: list[MentionRow]

    @classmethod
    def of(cls, papers: Iterable[Paper], mentions: Iterable[Mention]) -> PaperBatch:
        latest: dict[str, Paper] = {}
        for paper in papers:
            latest[paper.paper_id] = paper
        seen: dict[tuple[str, str, str, str], Mention] = {}
        for m in mentions:
            seen.setdefault((m.paper_id, m.repo_name, m.source_field, m.kind), m)
        columns, values = _by_column(list(latest.values()))
        return cls(
            columns,
            values,
            [
                (m.paper_id, m.repo_name, m.source_field, m.kind, m.repo, m.url, m.locus, m.context)
                for m in seen.values()
            ],
        )

    @property
    def paper_ids(self) -> list[str]:
        return self.values[0]

    def rows(self) -> Iterator[tuple[Any, ...]]:
        return zip(*self.values, strict=True)


_GETTERS = tuple(attrgetter(c) for c in PAPER_COLUMNS)
_IS_NOT_NONE = partial(is_not, None)
_JOINED = {PAPER_COLUMNS.index(c): sep for c, sep in LIST_SEPARATORS.items()}


def _by_column(papers: list[Paper]) -> tuple[tuple[str, ...], tuple[list[Any], ...]]:
    """The staging table's columns for ``papers`` (the ``PAPER_COLUMNS`` not null in every one
    of them) and their values, column by column: each paper's field (one ``map`` of a getter
    per column, in C), the author and category lists joined into one string, an empty one as
    null (so that the upsert keeps a list stored before)."""
    names: list[str] = []
    values: list[list[Any]] = []
    for i, (name, getter) in enumerate(zip(PAPER_COLUMNS, _GETTERS, strict=True)):
        column = list(map(getter, papers))
        if i in _JOINED:
            sep = _JOINED[i]
            column = [sep.join(v) if v else None for v in column]
        if i == 0 or any(map(_IS_NOT_NONE, column)):  # (stops at the first value)
            names.append(name)
            values.append(column)
    return tuple(names), tuple(values)


def batches(papers: Iterable[Paper], size: int) -> Iterator[PaperBatch]:
    """``papers`` as prepared batches of ``size``, in order, each with the mentions its papers
    hold (``links.mentions_for``): what a harvest writes, read on its own thread or in a worker
    process. A batch's papers are freed before the next batch is read."""
    # (imported here: the store imports this module, and `report` does not need the link rules)
    from harvester import links  # noqa: PLC0415

    iterator = iter(papers)
    while batch := list(islice(iterator, size)):
        prepared = PaperBatch.of(batch, [m for paper in batch for m in links.mentions_for(paper)])
        del batch
        yield prepared
        del prepared
