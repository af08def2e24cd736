"""The arXiv metadata snapshot format: detection by content, fields, bad lines."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from harvester.errors import InputError
from harvester.sources.files import read_inputs, snapshot
from harvester.sources.files.detect import detect
from harvester.sources.files.snapshot import collapse

# A line as the public snapshot writes it (fields, wrapping and date format as published).
REAL: dict[str, Any] = {
    "id": "0704.0001",
    "submitter": "Pavel Nadolsky",
    "authors": "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
    "title": "Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC"
    " energies",
    "comments": "37 pages, 15 figures; published version",
    "journal-ref": "Phys.Rev.D76:013009,2007",
    "doi": "10.1103/PhysRevD.76.013009",
    "report-no": "ANL-HEP-PR-07-12",
    "categories": "hep-ph",
    "license": None,
    "abstract": "  A fully differential calculation in perturbative quantum chromodynamics is\n"
    "presented for the production of massive photon pairs. Code:\nhttps://github.com/a/b.\n",
    "versions": [
        {"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
        {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"},
    ],
    "update_date": "2008-11-13",
    "authors_parsed": [
        ["Balázs", "C.", ""],
        ["Berger", "E. L.", ""],
        ["Nadolsky", "P. M.", ""],
        ["Yuan", "C. -P.", "Jr"],
    ],
}


def _write(tmp_path: Path, records: list[Any], name: str = "arxiv-snapshot.json") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


def test_detected_by_content_whatever_the_name(tmp_path: Path) -> None:
    line = json.dumps(REAL).encode()
    assert detect(line + b"\n" + line + b"\n", "whatever.txt") == "snapshot"
    assert detect(line, "one.json") == "snapshot"
    huge = json.dumps({**REAL, "authors_parsed": [["Name", "A.", ""]] * 20_000}).encode()
    assert detect(huge[: 64 * 1024], "arxiv-metadata-oai-snapshot.json") == "snapshot"
    generic = json.dumps({"id": "0704.0001", "title": "x"}).encode()
    assert detect(generic + b"\n" + generic, "x.jsonl") == "jsonl"


def test_fields_of_a_real_line(tmp_path: Path) -> None:
    (paper,) = read_inputs([str(_write(tmp_path, [REAL]))])
    assert paper.paper_id == "0704.0001" and paper.source == "arxiv_snapshot"
    assert paper.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert paper.abstract is not None and paper.abstract.startswith("A fully differential")
    assert "\n" not in paper.abstract and paper.abstract.endswith("https://github.com/a/b.")
    assert paper.comment == "37 pages, 15 figures; published version"
    assert paper.published_at == dt.date(2007, 4, 2)  # the first version, not update_date
    assert paper.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan Jr")
    assert paper.categories == ("hep-ph",) and paper.primary_category == "hep-ph"
    assert (paper.doi, paper.journal_ref, paper.license) == (
        "10.1103/PhysRevD.76.013009",
        "Phys.Rev.D76:013009,2007",
        None,
    )
    assert paper.url == "https://arxiv.org/abs/0704.0001"


def test_old_ids_other_dates_and_authors_without_parsed_names(tmp_path: Path) -> None:
    old = {
        "id": "hep-th/9901001v2",
        "title": "Old",
        "authors": "A. One, B. Two and C. Three",
        "categories": "hep-th math.AG",
        "versions": [{"version": "v1", "created": "2 Jan 1999 23:30:00 -0500"}],
        "update_date": "2009-01-01",
    }
    odd = {"id": "not-an-id", "title": "No arXiv id", "update_date": "2020-01-01"}
    first, second = read_inputs([str(_write(tmp_path, [old, odd]))])
    assert first.paper_id == "hep-th/9901001"
    assert first.published_at == dt.date(1999, 1, 3)  # the UTC day
    assert first.authors == ("A. One", "B. Two", "C. Three")
    assert first.primary_category == "hep-th" and first.categories == ("hep-th", "math.AG")
    assert second.paper_id.startswith("title:") and second.published_at is None
    assert second.url is None


@pytest.mark.parametrize(
    ("created", "day"),
    [
        ("Mon, 2 Apr 2007 19:18:42 GMT", dt.date(2007, 4, 2)),
        ("Mon, 2 Apr 2007 23:30:00 -0500", dt.date(2007, 4, 3)),  # same prefix, other zone
        ("Tue, 24 Jul 2007 20:10:27 GMT", dt.date(2007, 7, 24)),
        ("Tue, 24 Jul 2007 01:10:27 +0200", dt.date(2007, 7, 23)),
    ],
)
def test_first_version_date_is_the_utc_day(tmp_path: Path, created: str, day: dt.date) -> None:
    records = [{**REAL, "versions": [{"version": "v1", "created": c}]} for c in (created,) * 2]
    assert [p.published_at for p in read_inputs([str(_write(tmp_path, records))])] == [day] * 2


def test_gzip_and_links_through_extract_path(tmp_path: Path) -> None:
    path = tmp_path / "snap.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(json.dumps(REAL) + "\n\n")
    (paper,) = read_inputs([str(path)])
    assert paper.doi == "10.1103/PhysRevD.76.013009"


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        ({**REAL, "title": 5}, "line 2: title must be a string, got number"),
        ({**REAL, "versions": [{"created": "yesterday"}]}, "versions[0].created is not an RFC"),
        ({**REAL, "authors_parsed": [["x"]]}, "authors_parsed must be a list of"),
        ({**REAL, "id": None, "title": None}, "line 2: record has no id and no title"),
        ([1, 2], "line 2: expected a paper object, got array"),
    ],
)
def test_bad_lines_name_the_line(tmp_path: Path, bad: Any, needle: str) -> None:
    path = _write(tmp_path, [REAL, bad])
    papers = read_inputs([str(path)])
    assert next(papers).paper_id == "0704.0001"  # lines before the bad one are kept
    with pytest.raises(InputError) as caught:
        next(papers)
    assert needle in str(caught.value) and str(caught.value).startswith(str(path))


def test_invalid_json_and_utf8_are_reported_with_position(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(json.dumps(REAL).encode() + b"\n{oops\n")
    with pytest.raises(InputError, match="line 2, column 2: invalid JSON"):
        list(read_inputs([str(path)]))
    line = json.dumps(REAL).encode() + b"\n"
    path.write_bytes(line + b'{"id": "\xff"}\n')
    with pytest.raises(InputError, match=f"invalid UTF-8 at byte offset {len(line) + 8}"):
        list(read_inputs([str(path)]))


@pytest.mark.parametrize(
    "text",
    [
        "  plain\nwrapped\ntext\n",
        "tabs\tand\r\nreturns",
        "double  spaces",
        "form\x0cfeed and \x1f unit separator",
        "non-ASCII\u00a0space and\u2003em space, Zürich",
        "",
        "   ",
        "one",
    ],
)
def test_collapse_matches_split_join(text: str) -> None:
    assert collapse(text) == " ".join(text.split())


@pytest.mark.parametrize(
    "line",
    [
        json.dumps(REAL).encode() + b"\n",
        json.dumps(REAL, ensure_ascii=False).encode(),  # the last line, no line break
        b'{"a": 1}  \t\r\n',
        b'  {"a": 1}\n',  # leading whitespace
        b'\xef\xbb\xbf{"a": 1}\n',  # a BOM
        '{"a": 1}\n'.encode("utf-16-le"),
        '{"a": 1}'.encode("utf-32-be"),
        b'{"a": 1} {"b": 2}\n',  # extra data
        b'{"a": 1}\x0c\n',  # not JSON whitespace after the value
        b'{"a": 1}\x00',
        b"5\x00\n",
        b"\n",
        b"",
        b"{oops\n",
        b'{"id": "\xff"}\n',  # invalid UTF-8
        b'{"t": "\xed\xa0\x80"}\n',  # an encoded surrogate: loads lets it through
        b'{"t": "\\ud800 and \\ud83d\\ude00"}\n',
        b'{"n": NaN, "i": -Infinity, "f": 1e400, "big": 123456789012345678901234567890}\n',
        b'"just a string"\n',
        b"[" * 100_000 + b"]" * 100_000 + b"\n",  # too deep
        b'{"a": "raw \x01 control"}\n',
        b'{"dup": 1, "dup": 2}\n',
    ],
)
def test_the_line_decoder_answers_and_fails_exactly_as_json_loads(line: bytes) -> None:
    def outcome(decode: Any) -> tuple[str, Any]:
        try:
            return "value", repr(decode(line))  # repr: NaN != NaN
        except (ValueError, RecursionError) as e:
            return type(e).__name__, str(e)

    assert outcome(snapshot._loads) == outcome(json.loads)


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("authors_parsed", [["K\ud800", "F", ""], ["Müller", "Ö.", ""]], "authors"),
        ("authors", "A. K\udfff and B. Müller", "authors"),
        ("categories", "cs.\udfffL cs.CV", "categories"),
        ("doi", "10.1/\ud800x", "doi"),
        ("journal-ref", "J. \ud83d", "journal_ref"),
        ("license", "http://x/\udc00", "license"),
    ],
)
def test_a_lone_surrogate_outside_the_texts_of_a_usual_line_is_repaired(
    tmp_path: Path, key: str, value: Any, field: str
) -> None:
    # the usual line (a new-style id, ASCII title/abstract/comment) skips the generic repair
    # when it proves there is nothing to repair: a surrogate anywhere else must still be found
    line = {**REAL, "id": "2501.00020", "title": "Plain", "authors_parsed": None, key: value}
    for raw in (json.dumps(line), json.dumps(line, ensure_ascii=False)):  # escaped, and raw bytes
        path = tmp_path / "s.json"
        path.write_bytes(raw.encode("utf-8", "surrogatepass") + b"\n")
        (paper,) = read_inputs([str(path)], "snapshot")
        shown = getattr(paper, field)
        assert "\ufffd" in (shown if isinstance(shown, str) else "".join(shown))
        for value_ in dataclasses.astuple(paper):
            for text in value_ if isinstance(value_, tuple) else (value_,):
                if isinstance(text, str):
                    text.encode("utf-8")  # no lone surrogate left anywhere
