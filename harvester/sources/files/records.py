"""Paper records as JSON, JSONL or CSV.

Accepted:

- JSON: an array of record objects, an object holding one (``{"papers"|"data"|"records"|"items"|
  "results": [...]}``), or a single record object. Loaded whole.
- JSONL: one JSON value per line (blank lines skipped), streamed line by line; a line may also
  hold an array or a container object, which are expanded.
- CSV: a header row (comma, tab or semicolon separated; must name an id, title or url column),
  streamed row by row; quoted fields may span lines.

Field names (case-insensitive; the first non-empty one of each group wins):

=================  ==================================================================
id                 id, paper_id, arxiv_id, arxiv, entry_id
title              title
abstract           abstract, summary, description
comment            comment, comments, arxiv_comment
url                url, link, abs_url, html_url
published_at       published, published_at, publishedAt, date, publication_date, submitted
text               text, body, content, plus every explicit code link: github, github_url,
                   code_url, code, repo, repository, repo_url (a string or a list of strings)
HF hints           hf_github_repo/githubRepo, hf_github_stars/githubStars,
                   project_page/projectPage, upvotes, organization, listed_on/submittedOnDailyAt
authors            authors, author: a list of names or of ``{"name": ...}`` objects, or one
                   string of names separated by commas and ``and``
categories         categories (a list, or a string separated by spaces or commas);
                   primary_category (else the first category)
bibliographic      doi, journal_ref/journal-ref, license
=================  ==================================================================

Explicit code links go into ``text`` (one per line) rather than ``hf_github_repo``: that field
means "the repository Hugging Face lists for the paper", and a mention found there is recorded
with ``source_field = hf_github_repo``; claiming it for any JSON file would blur that evidence.

``paper_id`` is the arXiv id from an id field or from the url, else ``title_id(title)``, else
``id:<value>`` for a non-arXiv id; a record with none of id, url-with-arXiv-id or title is an
InputError naming the line or item. Objects shaped like Hugging Face listing items (a ``paper``
object, or a Python-repr string of one) are read by ``hf_daily`` and keep ``source="hf_daily"``;
every other record gets the reader's source (``json``, ``jsonl``, ``csv``).
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from harvester.errors import InputError
from harvester.models import Paper
from harvester.sources.files import hf_daily
from harvester.sources.files.hf_daily import date_value, int_value, json_type, load_json, text_value
from harvester.sources.ids import choose_paper_id, first_arxiv_id

FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "paper_id", "arxiv_id", "arxiv", "entry_id"),
    "title": ("title",),
    "abstract": ("abstract", "summary", "description"),
    "comment": ("comment", "comments", "arxiv_comment"),
    "url": ("url", "link", "abs_url", "html_url"),
    "published": ("published", "published_at", "publishedat", "date", "publication_date",
                  "submitted"),
    "text": ("text", "body", "content"),
    "code": ("github", "github_url", "code_url", "code", "repo", "repository", "repo_url"),
    "hf_github_repo": ("hf_github_repo", "githubrepo"),
    "hf_github_stars": ("hf_github_stars", "githubstars"),
    "project_page": ("project_page", "projectpage"),
    "upvotes": ("upvotes",),
    "organization": ("organization",),
    "listed_on": ("listed_on", "submittedondailyat"),
    "authors": ("authors", "author"),
    "categories": ("categories",),
    "primary_category": ("primary_category",),
    "doi": ("doi",),
    "journal_ref": ("journal_ref", "journal-ref"),
    "license": ("license",),
}  # fmt: skip
_KEY_GROUP = {
    name: (group, rank) for group, names in FIELDS.items() for rank, name in enumerate(names)
}
# Record keys as written -> their (group, rank) or None: most files repeat a handful of keys, so
# each spelling is stripped, lowered and looked up once (bounded, for files with ever-new keys).
_KEY_CACHE: dict[Any, tuple[str, int] | None] = {}
_KEY_CACHE_MAX = 4096
IDENTIFYING = frozenset(FIELDS["id"] + FIELDS["title"] + FIELDS["url"])
_T = TypeVar("_T")
CONTAINER_KEYS = ("papers", "data", "records", "items", "results")
CSV_DELIMITERS = (",", "\t", ";")

# A single CSV field may be as large as a JSONL line (the default limit is 128 KiB).
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))


def read_json(text: str) -> Iterator[Paper]:
    yield from papers_from_value(load_json(text), where="", source="json")


def read_jsonl(lines: Iterable[str]) -> Iterator[Paper]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as e:
            raise InputError(f"line {number}, column {e.pos + 1}: invalid JSON: {e.msg}") from None
        except RecursionError:
            raise InputError(f"line {number}: JSON nested too deeply") from None
        yield from papers_from_value(value, where=f"line {number}", source="jsonl")


def read_csv(lines: Iterator[str]) -> Iterator[Paper]:
    first = next(lines, "")
    delimiter = csv_delimiter(first)
    if delimiter is None:
        raise InputError(
            "CSV header has no id, title or url column (expected one of "
            f"{', '.join(sorted(IDENTIFYING))}); header: {first.strip()[:200]!r}"
        )
    # strict: a quote left open to the end of the file (which would swallow every record after
    # it into one field) or text after a closing quote is an error, not a silent merge
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter, strict=True)
    start = 1  # the line the record being read starts on
    try:
        names = [name.strip().lstrip("\ufeff").lower() for name in next(reader)]
        start = reader.line_num + 1
        for row in reader:
            if not any(cell.strip() for cell in row):
                start = reader.line_num + 1
                continue
            record = {name: cell for name, cell in zip(names, row, strict=False) if name}
            yield record_to_paper(record, where=f"line {start}", source="csv", from_text=True)
            start = reader.line_num + 1
    except csv.Error as e:
        if "unexpected end of data" in str(e):
            raise InputError(
                f"line {start}: malformed CSV: a quoted field opened in the record starting "
                "here is never closed"
            ) from None
        raise InputError(f"line {reader.line_num}: malformed CSV: {e}") from None


def csv_delimiter(header_line: str) -> str | None:
    """The delimiter that makes ``header_line`` a header naming an id/title/url column."""
    for delimiter in CSV_DELIMITERS:
        try:
            cells = next(csv.reader([header_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        names = {cell.strip().lstrip("\ufeff").lower() for cell in cells}
        if names & IDENTIFYING:
            return delimiter
    return None


def papers_from_value(value: Any, *, where: str, source: str) -> Iterator[Paper]:
    """Papers from a parsed JSON value: a record, an array of them, or a container object."""
    prefix = f"{where}, " if where else ""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield record_to_paper(item, where=f"{prefix}item {i}", source=source)
        return
    if isinstance(value, dict) and not (
        "id" in value or "title" in value or _has_any(value, IDENTIFYING)
    ):
        data = value.get("data")
        if isinstance(data, list) and data and hf_daily.looks_like_hf(data[0]):
            yield from hf_daily.parse_document(value, where=where)
            return
        for key in CONTAINER_KEYS:
            if isinstance(value.get(key), list):
                yield from papers_from_value(value[key], where=f"{prefix}{key}", source=source)
                return
        if not where:
            keys = ", ".join(sorted(str(key) for key in value)[:8])
            raise InputError(
                "JSON object is neither a paper record (no id, title or url field) nor a "
                f"container of records (no {'/'.join(CONTAINER_KEYS)} array); keys: {keys}"
            )
    yield record_to_paper(value, where=where or "object", source=source)


def record_to_paper(obj: Any, *, where: str, source: str, from_text: bool = False) -> Paper:
    """One record object -> Paper (HF listing items are handed to ``hf_daily``)."""
    if isinstance(obj, str) and hf_daily.looks_like_hf(obj):
        return hf_daily.parse_item(obj, where=where)
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a paper object, got {json_type(obj)}")
    if isinstance(obj.get("paper"), dict):
        return hf_daily.parse_item(obj, where=where)
    picked, text_parts = _fields(obj)
    get = picked.get
    raw_id, id_name = get("id") or (None, "id")
    if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
        raise InputError(
            f"{where}: {id_name} must be a string, got number {raw_id!r} "
            "(quote arXiv ids: as numbers they lose trailing zeros)"
        )
    raw_id = text_value(raw_id, id_name, where)
    title = _opt(text_value, get("title"), where)
    url = _opt(text_value, get("url"), where)
    arxiv_id = first_arxiv_id(raw_id, url)
    paper_id = choose_paper_id(arxiv_id, title, raw_id, "id")
    if paper_id is None:
        raise InputError(f"{where}: record has no id, arXiv url or title")
    abstract = _opt(text_value, get("abstract"), where)
    comment = _opt(text_value, get("comment"), where)
    published = _opt(date_value, get("published"), where)
    url = url or (f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None)
    if not text_parts and picked.keys() <= _COMMON:  # the usual record: half the time
        return Paper(paper_id, source, title, abstract, comment, None, published, url)
    # Each other group is converted only when the record has it.
    categories: tuple[str, ...] = ()
    primary = None
    if (got := get("categories")) is not None:
        categories = _list_value(*got, where)
    if (got := get("primary_category")) is not None:
        primary = text_value(*got, where)
        if primary and primary not in categories:
            categories = (primary, *categories)
    hf_repo = get("hf_github_repo")
    return Paper(
        paper_id=paper_id,
        source=source,
        title=title,
        abstract=abstract,
        comment=comment,
        text=_text(text_parts, where) if text_parts else None,
        published_at=published,
        url=url,
        hf_github_repo=text_value(*hf_repo, where, collapse=False) if hf_repo else None,
        hf_github_stars=_opt_int(get("hf_github_stars"), where, from_text),
        project_page=_opt(text_value, get("project_page"), where),
        upvotes=_opt_int(get("upvotes"), where, from_text),
        organization=hf_daily.organization_value(get("organization", _NONE)[0], where),
        listed_on=_opt(date_value, get("listed_on"), where),
        authors=hf_daily.authors_value(get("authors", _NONE)[0], where),
        categories=categories,
        primary_category=primary or (categories[0] if categories else None),
        doi=_opt(text_value, get("doi"), where),
        journal_ref=_opt(text_value, get("journal_ref"), where),
        license=_opt(text_value, get("license"), where),
    )


_NONE: tuple[None, str] = (None, "")
_COMMON = frozenset({"id", "title", "url", "abstract", "comment", "published"})


def _opt(
    convert: Callable[[Any, str, str], _T], got: tuple[Any, str] | None, where: str
) -> _T | None:
    return convert(got[0], got[1], where) if got is not None else None


def _opt_int(got: tuple[Any, str] | None, where: str, from_text: bool) -> int | None:
    return int_value(got[0], got[1], where, from_text=from_text) if got is not None else None


def _list_value(value: Any, field: str, where: str) -> tuple[str, ...]:
    """A list of strings, or one string of items separated by spaces or commas."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(value.replace(",", " ").split())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(item.strip() for item in value if item.strip())
    raise InputError(f"{where}: {field} must be a list of strings or a string")


def _fields(obj: dict[Any, Any]) -> tuple[dict[str, tuple[Any, str]], list[tuple[int, str, Any]]]:
    """One pass over a record: the best-ranked non-empty field of each group, and every
    ``text``/``code`` field (all of them are kept, in ``FIELDS`` order)."""
    picked: dict[str, tuple[Any, str]] = {}
    ranks: dict[str, int] = {}
    text_parts: list[tuple[int, str, Any]] = []
    cache = _KEY_CACHE
    for key, value in obj.items():
        if value is None or value == "":
            continue
        try:
            hit = cache[key]
        except KeyError:
            hit = _KEY_GROUP.get(key.strip().lower()) if isinstance(key, str) else None
            if len(cache) < _KEY_CACHE_MAX:
                cache[key] = hit
        except TypeError:  # an unhashable key cannot come from JSON or CSV, but be safe
            continue
        if hit is None:
            continue
        group, rank = hit
        if group in ("text", "code"):
            name = key.strip().lower()
            text_parts.append((rank + (100 if group == "code" else 0), name, value))
        elif group not in picked or rank < ranks[group]:
            picked[group], ranks[group] = (value, key.strip().lower()), rank
    if len(text_parts) > 1:
        text_parts.sort(key=lambda part: part[0])
    return picked, text_parts


def _text(parts: list[tuple[int, str, Any]], where: str) -> str | None:
    texts: list[str] = []
    for _rank, name, value in parts:
        for item in value if isinstance(value, list) else [value]:
            text = text_value(item, name, where, collapse=False)
            if text:
                texts.append(text)
    return "\n".join(texts) or None


def _has_any(obj: dict[str, Any], names: frozenset[str]) -> bool:
    return any(isinstance(key, str) and key.strip().lower() in names for key in obj)
