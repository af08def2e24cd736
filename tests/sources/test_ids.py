from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harvester.sources.ids import find_arxiv_id, normalize_arxiv_id, normalize_title, title_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2510.12586", "2510.12586"),
        ("2510.12586v2", "2510.12586"),
        ("arXiv:2510.12586", "2510.12586"),
        ("ARXIV: 2510.12586v1", "2510.12586"),
        ("https://arxiv.org/abs/2510.12586v3", "2510.12586"),
        ("https://arxiv.org/pdf/2510.12586.pdf", "2510.12586"),
        ("https://arxiv.org/pdf/2510.12586v2", "2510.12586"),
        ("arxiv.org/html/2510.12586v1", "2510.12586"),
        ("https://export.arxiv.org/abs/2510.12586?context=cs", "2510.12586"),
        ("https://www.arxiv.org/abs/2510.12586/", "2510.12586"),
        ("http://arxiv.org/abs/astro-ph/0601001v1", "astro-ph/0601001"),
        ("hf.co/papers/2510.12586", "2510.12586"),
        ("https://huggingface.co/papers/2510.12586", "2510.12586"),
        ("https://huggingface.co/papers/2510.12586#community", "2510.12586"),
        ("astro-ph/0601001", "astro-ph/0601001"),
        ("quant-ph/0201082v1", "quant-ph/0201082"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("math.gt/0309136", "math.GT/0309136"),
        ("cs/0503050v1", "cs/0503050"),
        ("0704.0001", "0704.0001"),
        ("1412.9999", "1412.9999"),
        ("1501.00001", "1501.00001"),
        ("  2401.04887\n", "2401.04887"),
    ],
)
def test_normalize_accepts_every_spelling(value: str, expected: str) -> None:
    assert normalize_arxiv_id(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "0000.0000",  # month 00 (a real query in the arXiv fixtures)
        "0808.05394",  # 2008 ids have four digits after the dot
        "1501.0001",  # 2015 on: five digits
        "2413.12345",  # month 13
        "0612.1234",  # before the new scheme (2007-04)
        "2510.1258",
        "2510.125867",
        "foo-ph/0601001",  # unknown archive
        "astro-ph/0613001",  # month 13
        "astro-ph/1201001",  # old scheme ended in 2007
        "https://github.com/2510.12586",
        "https://arxiv.org/abs/2510.12586 and more",
        "10.1145/3106237.3106277",
    ],
)
def test_normalize_rejects_non_ids(value: str) -> None:
    assert normalize_arxiv_id(value) is None


def test_find_needs_arxiv_context() -> None:
    assert find_arxiv_id("see arXiv:2401.04887v2 and 2402.00001") == "2401.04887"
    assert find_arxiv_id("arXiv preprint arXiv:2401.04887") == "2401.04887"
    assert find_arxiv_id("arXiv 2401.04887 [cs.CL] 9 Jan 2024") == "2401.04887"
    assert find_arxiv_id("paper at https://arxiv.org/abs/hep-th/9901001v2.") == "hep-th/9901001"
    assert find_arxiv_id("demo: https://hf.co/papers/2510.12586") == "2510.12586"
    assert find_arxiv_id("we ran 2402.00001 steps") is None  # a bare number is not taken
    assert find_arxiv_id("arXiv:0000.0000 then arXiv:2401.04887") == "2401.04887"
    assert find_arxiv_id("arXiv:2401.048871") is None  # not followed by more digits
    assert find_arxiv_id("") is None


def test_title_id_is_stable_under_case_space_and_punctuation() -> None:
    a = title_id("On the Perception Bottleneck of VLMs for Chart Understanding")
    b = title_id("  on the perception bottleneck, of VLMs for chart\n  understanding! ")
    assert a == b
    assert a.startswith("title:")
    assert len(a) == len("title:") + 16
    assert title_id("Something else") != a
    assert normalize_title("Discover-then-Name:  Task-Agnostic") == "discoverthenname taskagnostic"


_new_ids = st.builds(
    lambda yy, mm, n: f"{yy:02d}{mm:02d}.{n:05d}",
    st.integers(15, 99),
    st.integers(1, 12),
    st.integers(0, 99999),
)
_prefixes = st.sampled_from(
    ["", "arXiv:", "https://arxiv.org/abs/", "http://arxiv.org/pdf/", "hf.co/papers/"]
)


@given(_new_ids, _prefixes, st.integers(0, 20))
def test_normalize_round_trips_generated_ids(arxiv_id: str, prefix: str, version: int) -> None:
    suffix = f"v{version}" if version else ""
    assert normalize_arxiv_id(f"{prefix}{arxiv_id}{suffix}") == arxiv_id
    assert find_arxiv_id(f"as shown in arXiv:{arxiv_id}{suffix}, we") == arxiv_id


@given(st.text(max_size=200))
def test_id_functions_never_raise(text: str) -> None:
    normalize_arxiv_id(text)
    find_arxiv_id(text)
    assert title_id(text).startswith("title:")


def _by_regex(value: str) -> str | None:
    """normalize_arxiv_id without its fast path for bare new-style ids."""
    from harvester.sources import ids

    m = ids._FULL.fullmatch(value)
    return ids._valid(m) if m else None


@given(
    st.from_regex(r"\A[0-9]{4}\.[0-9]{4,5}\Z")
    | st.text(alphabet="0123456789.v ", min_size=9, max_size=10)
)
def test_fast_path_agrees_with_the_regex(value: str) -> None:
    assert normalize_arxiv_id(value) == _by_regex(value)


@pytest.mark.parametrize(
    "value", ["0703.0001", "1412.12345", "1501.1234", "1513.12345", "0000.0000", "25a0.12345"]
)
def test_fast_path_refuses_what_the_regex_refuses(value: str) -> None:
    assert normalize_arxiv_id(value) is None
    assert _by_regex(value) is None
