from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harvester.errors import InputError, UsageError
from harvester.models import Paper
from harvester.sources.files import FORMATS, iter_inputs, read_inputs, text

ATOM = (
    b'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    b"<entry><id>http://arxiv.org/abs/2401.04887v1</id><title>T</title></entry></feed>"
)
LISTING = (
    "Daily Papers\n\nbyAK and the research community\n\nTitle\n\nAbstract.\n\n·\nMar 2, 2025\n"
)
SAMPLES: dict[str, tuple[bytes, str, int]] = {
    # name: (content, expected source, expected paper count)
    "hf": (json.dumps([{"paper": {"id": "2501.00001", "title": "T"}}]).encode(), "hf_daily", 1),
    "json": (json.dumps({"papers": [{"id": "2401.04887"}, {"title": "T"}]}).encode(), "json", 2),
    "jsonl": (b'{"id": "2401.04887"}\n{"title": "T"}\n{"title": "U"}\n', "jsonl", 3),
    "csv": (b"id,title\n2401.04887,T\n", "csv", 1),
    "atom": (ATOM, "arxiv", 1),
    "listing": (LISTING.encode(), "listing", 1),
    "text": (b"Notes on arXiv:2401.04887 with https://github.com/a/b\n", "text", 1),
}


def names(papers: list[Paper]) -> list[str]:
    return [p.paper_id for p in papers]


def write(path: Path, data: bytes | str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def error_of(specs: list[str], fmt: str | None = None, stdin: io.BytesIO | None = None) -> str:
    with pytest.raises(InputError) as info:
        list(read_inputs(specs, fmt, stdin=stdin))
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("kind", sorted(SAMPLES))
@pytest.mark.parametrize("compress", [False, True])
def test_every_format_plain_and_gzipped(tmp_path: Path, kind: str, compress: bool) -> None:
    content, source, count = SAMPLES[kind]
    data = gzip.compress(content) if compress else content
    papers = list(read_inputs([write(tmp_path / "input.dat", data)]))  # name says nothing
    assert [p.source for p in papers] == [source] * count


def test_gzip_is_recognised_by_magic_not_by_name(tmp_path: Path) -> None:
    plain = write(tmp_path / "plain.jsonl.gz", SAMPLES["jsonl"][0])
    packed = write(tmp_path / "packed.txt", gzip.compress(SAMPLES["jsonl"][0]))
    assert len(list(read_inputs([plain, packed]))) == 6


def test_directory_recursive_sorted_hidden_skipped(tmp_path: Path) -> None:
    write(tmp_path / "b.jsonl", '{"title": "b"}\n')
    write(tmp_path / "a" / "z.jsonl", '{"title": "a/z"}\n')
    write(tmp_path / "a" / "c.jsonl.gz", gzip.compress(b'{"title": "a/c"}\n'))
    write(tmp_path / ".hidden.jsonl", '{"title": "hidden"}\n')
    write(tmp_path / ".git" / "x.jsonl", '{"title": "hidden dir"}\n')
    papers = list(read_inputs([str(tmp_path)]))
    assert [p.title for p in papers] == ["a/c", "a/z", "b"]
    assert [name for name, _ in iter_inputs([str(tmp_path)])] == [
        str(tmp_path / "a" / "c.jsonl.gz"),
        str(tmp_path / "a" / "z.jsonl"),
        str(tmp_path / "b.jsonl"),
    ]


def test_globs_and_duplicates(tmp_path: Path) -> None:
    for day in ("2025-01-02", "2025-01-01"):
        write(tmp_path / f"{day}.json.gz", gzip.compress(SAMPLES["hf"][0]))
    write(tmp_path / "sub" / "x.json", SAMPLES["json"][0])
    found = [name for name, _ in iter_inputs([str(tmp_path / "*.json.gz")])]
    assert found == [str(tmp_path / "2025-01-01.json.gz"), str(tmp_path / "2025-01-02.json.gz")]
    everything = [str(tmp_path / "**" / "*.json*"), str(tmp_path), str(tmp_path / "sub" / "x.json")]
    assert len([name for name, _ in iter_inputs(everything)]) == 3  # each file once


def test_stdin(tmp_path: Path) -> None:
    papers = list(read_inputs(["-"], stdin=io.BytesIO(SAMPLES["csv"][0])))
    assert names(papers) == ["2401.04887"]
    packed = io.BytesIO(gzip.compress(b"plain words, no id\n"))
    [paper] = read_inputs(["-", "-"], stdin=packed)  # stdin is read once
    assert (paper.paper_id, paper.text) == ("text:stdin", "plain words, no id\n")


def test_text_ids(tmp_path: Path) -> None:
    [with_id] = read_inputs([write(tmp_path / "a.txt", SAMPLES["text"][0])])
    assert with_id.paper_id == "2401.04887"
    [plain] = read_inputs([write(tmp_path / "sub" / "notes.md", b"# Notes\n\nNothing.\n")])
    assert plain.paper_id == f"text:{tmp_path / 'sub' / 'notes.md'}"
    assert plain.text == "# Notes\n\nNothing.\n"


def test_format_forcing(tmp_path: Path) -> None:
    path = write(tmp_path / "records.jsonl", SAMPLES["jsonl"][0])
    [paper] = read_inputs([path], "text")
    assert paper.source == "text"
    assert paper.text == SAMPLES["jsonl"][0].decode()
    assert "hf_daily: invalid JSON at line 2" not in error_of([path], "hf_daily")
    assert re.fullmatch(
        rf"{re.escape(path)}: invalid JSON at line 2, column 1: Extra data",
        error_of([path], "hf_daily"),
    )
    with pytest.raises(
        UsageError, match="unknown format 'xml'; valid formats: " + ", ".join(FORMATS)
    ):
        read_inputs([path], "xml")


def test_a_bad_file_stops_the_read_after_earlier_papers(tmp_path: Path) -> None:
    good = write(tmp_path / "1.jsonl", '{"title": "one"}\n')
    bad = write(tmp_path / "2.jsonl", '{"title": "two"}\n{"title": \n')
    later = write(tmp_path / "3.jsonl", '{"title": "three"}\n')
    seen: list[str | None] = []
    with pytest.raises(InputError, match=rf"^{re.escape(bad)}: line 2, column 11: invalid JSON"):
        seen.extend(p.title for p in read_inputs([good, bad, later]))
    assert seen == ["one", "two"]  # streamed: the bad file's first line was already yielded
    # per-input iteration lets a caller drop the whole bad input
    committed = []
    for _name, papers in iter_inputs([good, bad, later]):
        try:
            batch = list(papers)
        except InputError:
            break
        committed.extend(batch)
    assert [p.title for p in committed] == ["one"]


def test_missing_paths_fail_before_anything_is_read(tmp_path: Path) -> None:
    good = write(tmp_path / "1.jsonl", '{"title": "one"}\n')
    missing = str(tmp_path / "nope.json")
    with pytest.raises(InputError, match=f"^{re.escape(missing)}: no such file or directory$"):
        read_inputs([good, missing])
    pattern = str(tmp_path / "*.csv")
    with pytest.raises(InputError, match=f"^{re.escape(pattern)}: no files match this pattern$"):
        read_inputs([pattern])
    empty_dir = tmp_path / "empty"
    write(empty_dir / ".only-hidden", "x")
    with pytest.raises(InputError, match=f"^{re.escape(str(empty_dir))}: directory contains no"):
        read_inputs([str(empty_dir)])


# mtime=0: these bytes become test ids, which must not depend on the second of collection
# (pytest-xdist workers collect separately and refuse to run if their ids differ).
GOOD_GZ = gzip.compress(b'{"title": "a"}\n' * 1000, mtime=0)


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (b"", None, "is empty$"),
        (b" \n\t\n", None, "is empty$"),
        (gzip.compress(b"", mtime=0), None, "is empty after gzip decompression$"),
        (b"PK\x03\x04\x14\x00\x00\x00", None, "is zip-compressed; only gzip is supported"),
        (b"BZh91AY&SY", None, "is bzip2-compressed"),
        (b"\xff\xfe{\x00}\x00", None, "is UTF-16 encoded"),
        (b"abc\x00def", None, r"is binary \(non-text\) content \(NUL byte at offset 3\)"),
        (bytes(range(1, 32)) * 10, None, r"is binary \(non-text\) content$"),
        (
            b'{"title": "a"}\n{"title": "caf\xe9"}\n',
            None,
            r"invalid UTF-8 at byte offset 29 \(line 2\)",
        ),
        (b"plain caf\xc3\xa9 then bad \xc3(", None, r"invalid UTF-8 at byte offset 21 \(line 1\)"),
        (
            gzip.compress(b"text \xff", mtime=0),
            None,
            r"invalid UTF-8 at byte offset 5 of the decompressed data",
        ),
        (GOOD_GZ[: len(GOOD_GZ) // 2], None, "is truncated or corrupt gzip data .*end-of-stream"),
        (GOOD_GZ[:-8] + b"\x00" * 8, None, "is truncated or corrupt gzip data .*CRC check failed"),
        (
            b'[{"id": "2401.04887", "title": "T"}\n {"x": 1}]',
            None,
            r"invalid JSON at line 2, column 2: Expecting ',' delimiter",
        ),
        (b'[{"abstract": "no id or title"}]', None, "item 0: record has no id, arXiv url or title"),
        (b'{"papers": [{"title": 5}]}', None, "papers, item 0: title must be a string, got number"),
        (b'{"status": "ok", "data": [5]}', "hf_daily", "data item 0: expected an object"),
        (b"name,abstract\nx,y\n", "csv", "CSV header has no id, title or url column"),
        (
            b"<?xml version='1.0'?><rss><channel/></rss>",
            None,
            r"XML is not an Atom feed \(root element <rss>\)",
        ),
        (b"Some text.\n\nMore text.\n", "listing", "not an HF Daily Papers listing"),
    ],
)
def test_errors_name_the_file(
    tmp_path: Path, content: bytes, fmt: str | None, message: str
) -> None:
    path = write(tmp_path / "input.data", content)
    assert re.search(f"^{re.escape(path)}: {message}", error_of([path], fmt))


def test_csv_by_name_reports_missing_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "papers.csv", b"name,abstract\nx,y\n")
    assert error_of([path]).startswith(f"{path}: CSV header has no id, title or url column")


def test_stdin_errors_say_stdin() -> None:
    assert error_of(["-"], stdin=io.BytesIO(b"")) == "<stdin>: is empty"


def test_text_larger_than_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "MAX_TEXT_BYTES", 1024)
    path = write(tmp_path / "big.txt", b"word " * 1000)
    assert "is larger than 0 MiB; plain text and listings are read whole" in error_of([path])


class CountingStream(io.RawIOBase):
    """An endless JSONL stream that records how many bytes were read from it."""

    def __init__(self, line: bytes) -> None:
        self.line = line
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        start = self.served % len(self.line)
        repeated = self.line * (len(buffer) // len(self.line) + 2)
        chunk = repeated[start : start + len(buffer)]
        buffer[: len(chunk)] = chunk
        self.served += len(chunk)
        return len(chunk)


@pytest.mark.parametrize("line", [b'{"title": "t"}\n', b"title\nt\n"])
def test_jsonl_and_csv_stream(line: bytes) -> None:
    source = CountingStream(line)
    papers = read_inputs(["-"], stdin=io.BufferedReader(source))
    for _ in range(20_000):
        next(papers)
    assert source.served < 2_000_000  # 20,000 papers of an endless input, read as they go


def test_gzipped_jsonl_streams(tmp_path: Path) -> None:
    record = b'{"title": "t", "abstract": "' + b"a" * 1000 + b'"}\n'
    path = write(tmp_path / "big.jsonl.gz", gzip.compress(record * 20_000, compresslevel=1))
    papers = read_inputs([path])
    assert next(papers).title == "t"
    assert sum(1 for _ in papers) == 19_999


def test_one_huge_line(tmp_path: Path) -> None:
    abstract = "x" * (50 * 1024 * 1024)
    data = json.dumps({"title": "big", "abstract": abstract}).encode() + b'\n{"title": "next"}\n'
    path = write(tmp_path / "huge.jsonl", data)
    big, following = read_inputs([path])
    assert len(big.abstract or "") == len(abstract)
    assert following.title == "next"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_arbitrary_input_gives_papers_or_input_error(data: bytes) -> None:
    for fmt in (None, "jsonl", "csv"):
        try:
            papers = list(read_inputs(["-"], fmt, stdin=io.BytesIO(data)))
        except InputError as e:
            message = str(e)
        else:
            assert all(isinstance(p, Paper) and p.paper_id for p in papers)
            continue
        assert message.startswith("<stdin>: ")
        assert "\n" not in message
