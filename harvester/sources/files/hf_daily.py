"""Hugging Face papers API JSON: ``/api/daily_papers``, ``/api/papers/search``, ``/api/papers/ID``.

Accepted document shapes (every one seen in the archived daily files, plus the other endpoints):

- an array of listing items ``[{"paper": {...}, "title": ..., ...}]`` (daily papers, search);
- items stored as Python-repr strings ``"{'paper': {... 'hidden': False}}"`` (read with
  ``ast.literal_eval``, never ``eval``);
- the wrapper ``{"status", "date", "count", "data": [...]}``: ``date`` becomes ``listed_on`` for
  items that carry no ``submittedOnDailyAt``;
- a single item ``{"paper": {...}}`` or a single paper object (fields at the top level).

Each field is read from the nested ``paper`` object first, then from the item's top level.
``githubRepo`` is kept exactly as given (the link extractor cleans it); an object value
``{"url": ...}`` gives its url. ``authors`` (``[{"name": ...}]``) become the names, in order.
Titles and summaries have their hard line breaks collapsed to
single spaces. Wrong types (``"title": 5``) and items with neither id nor title are InputErrors.

The value helpers at the bottom (``text_value``, ``int_value``, ``date_value``) are shared with
the other JSON-ish readers.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any

from harvester.errors import InputError
from harvester.models import Paper
from harvester.sources.ids import choose_paper_id, first_arxiv_id

SOURCE = "hf_daily"
HF_PAPER_URL = "https://huggingface.co/papers/{}"
# Keys only the Hugging Face papers API uses: an object with an id and one of these is HF-shaped.
HF_KEYS = frozenset(
    {"publishedAt", "submittedOnDailyAt", "githubRepo", "githubStars", "projectPage"}
)


def read_text(text: str) -> Iterator[Paper]:
    """Papers of one HF API document given as JSON text."""
    yield from parse_document(load_json(text))


def parse_document(value: Any, *, where: str = "") -> Iterator[Paper]:
    """Papers of a parsed HF API document (array, wrapper, single item or single paper)."""
    prefix = f"{where}: " if where else ""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield parse_item(item, where=f"{prefix}item {i}")
    elif isinstance(value, dict) and isinstance(value.get("data"), list):
        listed_on = date_value(value.get("date"), "date", where or "wrapper")
        for i, item in enumerate(value["data"]):
            yield parse_item(item, where=f"{prefix}data item {i}", listed_on=listed_on)
    elif isinstance(value, dict) and looks_like_hf(value):
        yield parse_item(value, where=where or "object")
    else:
        raise InputError(
            f"{prefix}not a Hugging Face papers response: expected an array of items, a "
            f'{{"data": [...]}} wrapper or a paper object, got {json_type(value)}'
            + (f" with keys {', '.join(sorted(value)[:8])}" if isinstance(value, dict) else "")
        )


def looks_like_hf(value: Any) -> bool:
    """True for a listing item (``paper`` object) or a paper object with HF-only keys."""
    if isinstance(value, str):
        return value.lstrip().startswith("{'paper'")
    if not isinstance(value, dict):
        return False
    return isinstance(value.get("paper"), dict) or ("id" in value and not HF_KEYS.isdisjoint(value))


def parse_item(item: Any, *, where: str, listed_on: dt.date | None = None) -> Paper:
    """One listing item (or bare paper object) -> Paper."""
    if isinstance(item, str):
        item = _literal(item, where)
    if not isinstance(item, dict):
        raise InputError(f"{where}: expected an object, got {json_type(item)}")
    paper = item.get("paper")
    if paper is None:
        paper = {}
    elif not isinstance(paper, dict):
        raise InputError(f"{where}: 'paper' must be an object, got {json_type(paper)}")

    def get(key: str) -> Any:
        value = paper.get(key)
        return item.get(key) if value is None else value

    raw_id = text_value(get("id"), "id", where)
    title = text_value(get("title"), "title", where)
    arxiv_id = first_arxiv_id(raw_id)
    paper_id = choose_paper_id(arxiv_id, title, raw_id, "hf")
    if paper_id is None:
        raise InputError(f"{where}: paper has neither an id nor a title")
    return Paper(
        paper_id=paper_id,
        source=SOURCE,
        title=title,
        abstract=text_value(get("summary"), "summary", where),
        published_at=date_value(get("publishedAt"), "publishedAt", where),
        url=HF_PAPER_URL.format(arxiv_id) if arxiv_id else None,
        hf_github_repo=_repo(get("githubRepo"), where),
        hf_github_stars=int_value(get("githubStars"), "githubStars", where),
        project_page=text_value(get("projectPage"), "projectPage", where),
        upvotes=int_value(get("upvotes"), "upvotes", where),
        organization=organization_value(get("organization"), where),
        listed_on=date_value(get("submittedOnDailyAt"), "submittedOnDailyAt", where) or listed_on,
        authors=authors_value(paper.get("authors") or item.get("authors"), where),
    )


def _literal(text: str, where: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as e:
        raise InputError(f"{where}: string item is not a Python-repr object ({e})") from None


def _url_of(value: Mapping[str, Any], where: str) -> str | None:
    url = value.get("url")
    if url is None or isinstance(url, str):
        return url or None
    raise InputError(f"{where}: githubRepo.url must be a string, got {json_type(url)}")


def _repo(value: Any, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value if value and value.strip() else None  # raw: the link extractor cleans it
    if isinstance(value, dict):
        return _url_of(value, where)
    raise InputError(f"{where}: githubRepo must be a string, got {json_type(value)}")


def authors_value(value: Any, where: str) -> tuple[str, ...]:
    """Author names from a list of HF author objects (``{"name": ...}``) or of strings, or from
    one string of names separated by commas and ``and``."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        names = " ".join(value.split()).replace(" and ", ", ").split(",")
        return tuple(name.strip() for name in names if name.strip())
    if not isinstance(value, list):
        raise InputError(f"{where}: authors must be a list, got {json_type(value)}")
    found = []
    for author in value:
        name = author.get("name") if isinstance(author, dict) else author
        if name is not None and not isinstance(name, str):
            raise InputError(f"{where}: author names must be strings, got {json_type(name)}")
        if name and name.strip():
            found.append(" ".join(name.split()))
    return tuple(found)


def organization_value(value: Any, where: str) -> str | None:
    """An organisation given as a name or as HF's object (``fullname``, else ``name``)."""
    if isinstance(value, dict):
        name = value.get("fullname") or value.get("name")
        return text_value(name, "organization.fullname", where)
    return text_value(value, "organization", where)


# -- value helpers shared by the JSON-ish readers ----------------------------------------------


def load_json(text: str, where: str = "") -> Any:
    """``json.loads`` with a one-line InputError (line/column) on failure."""
    prefix = f"{where}: " if where else ""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{prefix}invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}"
        ) from None
    except RecursionError:
        raise InputError(f"{prefix}JSON nested too deeply") from None


def json_type(value: Any) -> str:
    """The JSON name of a Python value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def text_value(value: Any, field: str, where: str, *, collapse: bool = True) -> str | None:
    """A string field, whitespace collapsed (unless ``collapse`` is false); empty -> None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: {field} must be a string, got {json_type(value)}")
    if collapse:
        return _collapse(value) or None
    return value if value.strip() else None


def collapse(value: str) -> str:
    """``" ".join(value.split())``, with a fast path for ASCII text wrapped with single line
    breaks (the snapshot's usual case): same result, about a third of the time."""
    text = value.replace("\n", " ").strip() if "\n" in value else value.strip()
    if text.isascii() and "  " not in text and not odd_space(text):
        return text  # no whitespace left but single spaces between words
    return " ".join(text.split())


def odd_space(text: str) -> bool:
    """Whether ASCII ``text`` holds whitespace other than spaces and line feeds (``str.split``'s
    set); eight substring tests are ~5x faster than ``isprintable`` or a regex."""
    return (
        "\t" in text or "\r" in text or "\x0b" in text or "\x0c" in text
        or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text
    )  # fmt: skip


_collapse = collapse  # text_value's parameter of the same name hides the function


def int_value(value: Any, field: str, where: str, *, from_text: bool = False) -> int | None:
    """An integer field (a string of digits only when ``from_text``, as in CSV); None stays None."""
    if value is None or (from_text and isinstance(value, str) and not value.strip()):
        return None
    if from_text and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InputError(f"{where}: {field} must be an integer, got {json_type(value)} {value!r:.40}")


def date_value(value: Any, field: str, where: str) -> dt.date | None:
    """The date of an ISO date or datetime string (``2024-05-24``, ``...T17:34:15.000Z``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: {field} must be an ISO date string, got {json_type(value)}")
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise InputError(f"{where}: {field} is not an ISO date: {text[:40]!r}") from None
