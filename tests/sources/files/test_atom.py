from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from harvester.errors import InputError
from harvester.sources.files import read_inputs
from harvester.sources.files.atom import FeedError, feed_totals, parse_feed
from tests.conftest import FIXTURES

ARXIV = FIXTURES / "arxiv" / "arxiv-package"

FEED = b"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <opensearch:itemsPerPage>10</opensearch:itemsPerPage>
  <opensearch:totalResults>2</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <entry>
    <id>http://arxiv.org/abs/2104.12255v3</id>
    <title>A  title
      over two lines</title>
    <link href="https://arxiv.org/abs/2104.12255v3" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/2104.12255v3" rel="related" type="application/pdf"/>
    <summary>  Abstract with
 a break. Code: https://github.com/a/b</summary>
    <published>2021-04-25T20:40:03Z</published>
    <arxiv:comment>Code: https://github.com/c/d</arxiv:comment>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/math.GT/0309136v1</id>
    <title>Old style</title>
    <published>2003-09-08T00:00:00Z</published>
  </entry>
</feed>
"""


def body(name: str) -> bytes:
    recorded: dict[str, str] = json.loads((ARXIV / name).read_text())
    return recorded["body"].encode()


def test_entries_map_to_papers() -> None:
    first, second = parse_feed(FEED)
    assert first.paper_id == "2104.12255"
    assert first.source == "arxiv"
    assert first.title == "A title over two lines"
    assert first.abstract == "Abstract with a break. Code: https://github.com/a/b"
    assert first.comment == "Code: https://github.com/c/d"
    assert first.published_at == dt.date(2021, 4, 25)
    assert first.url == "https://arxiv.org/abs/2104.12255v3"
    assert (second.paper_id, second.comment, second.url) == (
        "math.GT/0309136",
        None,
        "http://arxiv.org/abs/math.GT/0309136v1",
    )
    assert feed_totals(FEED) == (2, 0, 10)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<rss version='2.0'><channel/></rss>", r"not an Atom feed \(root element <rss>\)"),
        (b"<?xml version='1.0'?><feed><entry>", r"not well-formed XML at line 1"),
        (
            b"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY a 'a'>]><feed/>",
            r"XML with a DTD .* is not accepted",
        ),
    ],
)
def test_bad_xml(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_feed(data)


def test_totals_missing() -> None:
    with pytest.raises(InputError, match="no valid opensearch:totalResults"):
        feed_totals(b'<feed xmlns="http://www.w3.org/2005/Atom"/>')


@pytest.mark.shared
def test_recorded_old_style_ids_and_versions() -> None:
    [paper] = parse_feed(body("id_astro-ph_0601001_s0_m100_3150dca9dc76.json"))
    assert paper.paper_id == "astro-ph/0601001"
    assert paper.comment is not None
    assert paper.comment.startswith("62 pages including 16 figures")
    assert paper.published_at == dt.date(2006, 1, 2)
    [paper] = parse_feed(body("id_quant-ph_0201082v1_s0_m100_86989fe779ef.json"))
    assert paper.paper_id == "quant-ph/0201082"
    [paper] = parse_feed(body("id_2104.12255v1_s0_m100_6ae69987ffe1.json"))
    assert paper.paper_id == "2104.12255"


@pytest.mark.shared
def test_recorded_paging_and_empty_results() -> None:
    page = body("q_testing_s0_m100_cfe7536492ca.json")
    papers = parse_feed(page)
    assert len(papers) == 100
    assert feed_totals(page) == (214881, 0, 100)
    assert all("v" not in p.paper_id.split("/")[-1] for p in papers)
    assert "cs/0503050" in {p.paper_id for p in papers}
    assert sum(p.comment is not None for p in papers) > 50
    assert feed_totals(body("q_testing_s10_m10_34e56e15aaac.json")) == (214881, 10, 10)
    empty = body("id_0000.0000_s0_m100_8b51d9633a68.json")
    assert parse_feed(empty) == []
    assert feed_totals(empty) == (0, 0, 100)


@pytest.mark.shared
def test_recorded_400_error_feed() -> None:
    recorded = json.loads((ARXIV / "id_abc_s0_m100_b79c8dcf6bc3.json").read_text())
    assert recorded["status_code"] == 400
    with pytest.raises(FeedError, match=r"^arXiv API error: incorrect id format for abc$"):
        parse_feed(recorded["body"].encode())


@pytest.mark.shared
def test_every_recorded_feed_through_read_inputs(tmp_path: Path) -> None:
    count = 0
    for recorded in sorted(ARXIV.glob("*.json")):
        response = json.loads(recorded.read_text())
        if response["status_code"] != 200:
            continue
        path = tmp_path / recorded.name.replace(".json", ".xml")
        path.write_text(response["body"], encoding="utf-8")
        count += len(list(read_inputs([str(path)])))
    assert count == 100 + 10 + 15 + 6 * 10 + 2 * 15 + 6  # q_testing pages + id lookups


def test_error_feed_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "error.xml"
    path.write_bytes(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        b"<id>https://arxiv.org/api/errors#incorrect_id_format_for_abc</id><title>Error</title>"
        b"<summary>incorrect id format for abc</summary></entry></feed>"
    )
    expected = f"^{re.escape(str(path))}: arXiv API error: incorrect id format for abc$"
    with pytest.raises(FeedError, match=expected):
        list(read_inputs([str(path)]))
