"""Tests for harvester.links: real spellings from the HF Daily Papers abstracts and the seed."""

from __future__ import annotations

import ast
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.links import (
    RESERVED_OWNERS,
    find_links,
    is_valid_owner,
    is_valid_repo,
    mentions_for,
)
from harvester.models import Paper, RepoName
from tests.conftest import HF_DAYS, SEED, SEED_REPOS

R, P = "repo", "pages"

# (id, text, expected [(repo, kind)]). Unless marked synthetic, the text is (a piece of) a real
# abstract from ../shared/data/hf-daily-papers or the seed.
CASES: list[tuple[str, str, list[tuple[str, str]]]] = [
    # trailing sentence punctuation and wrapping
    (
        "dot",
        "Code is publicly available at https://github.com/hkust-nlp/Vision4Chart.",
        [("hkust-nlp/Vision4Chart", R)],
    ),
    (
        "space-dot",
        "open-sourced at https://github.com/sail-sg/VocabularyParallelism .",
        [("sail-sg/VocabularyParallelism", R)],
    ),
    (
        "brace",
        "publicly available at blue{https://github.com/Cardinal-Operations/OPTEngine}.",
        [("Cardinal-Operations/OPTEngine", R)],
    ),
    (
        "comma",
        "available at: https://github.com/microsoft/UFO/tree/main/dataflow, and\ncomprehensive",
        [("microsoft/UFO", R)],
    ),
    ("semicolon", "Code: https://github.com/GAIR-NLP/ProX; data too", [("GAIR-NLP/ProX", R)]),
    ("colon", "see https://github.com/PRIME-RL/TTRL: it works", [("PRIME-RL/TTRL", R)]),
    (
        "parens",
        "benchmark code (github.com/openai/mle-bench/)\nto facilitate",
        [("openai/mle-bench", R)],
    ),
    ("bracket", "[https://github.com/NVlabs/Eagle]", [("NVlabs/Eagle", R)]),
    (
        "angle",
        "found at\n<https://annaj2178.github.io/EnerverseAC.github.io>.",
        [("annaj2178/EnerverseAC.github.io", P)],
    ),
    (
        "double-quotes",
        'is available on\n"https://github.com/twelvelabs-io/'
        'video-embeddings-evaluation-framework".',
        [("twelvelabs-io/video-embeddings-evaluation-framework", R)],
    ),
    ("single-quotes", "repo 'https://github.com/xhluca/bm25s'.", [("xhluca/bm25s", R)]),
    (
        "slash-dot",
        "GuardReasoner : https://github.com/yueliu1999/GuardReasoner/.\n\nThoughts",
        [("yueliu1999/GuardReasoner", R)],
    ),
    (
        "trailing-slashes",
        "is available\nat https://github.com/inclusionAI/AReaL/.",
        [("inclusionAI/AReaL", R)],
    ),
    (
        "tilde",
        "the repository ~https://github.com/Kairong-Han/C-2-DLM{here}.",
        [("Kairong-Han/C-2-DLM", R)],
    ),
    # suffixes and paths
    (
        "git-suffix-space-scheme",
        "released at https: //github.com/MTU-Bench-Team/MTU-Bench.git.",
        [("MTU-Bench-Team/MTU-Bench", R)],
    ),
    (
        "tree",
        "available at https://github.com/huawei-noah/noah-research/tree/master/VersatileFFN.",
        [("huawei-noah/noah-research", R)],
    ),
    (
        "blob",
        "accessible at\nhttps://github.com/modelscope/data-juicer/blob/main/docs/Sandbox.md.",
        [("modelscope/data-juicer", R)],
    ),
    ("issues", "report at https://github.com/vllm-project/vllm/issues", [("vllm-project/vllm", R)]),
    ("readme-anchor", "https://github.com/apple/ml-depth-pro#readme.", [("apple/ml-depth-pro", R)]),
    (
        "tab-query",
        "https://github.com/zli12321/FFGO-Video-Customization?tab=readme-ov-file",
        [("zli12321/FFGO-Video-Customization", R)],
    ),
    (
        "subdir-no-tree",
        "is available at https://github.com/aiming-lab/Agent0/Agent0-VL{this https URL}.",
        [("aiming-lab/Agent0", R)],
    ),
    # hosts and schemes
    (
        "www",
        "Codes are released at https://www.github.com/Alpha-VLLM/Lumina-Video.",
        [("Alpha-VLLM/Lumina-Video", R)],
    ),
    ("http", "available at: http://github.com/fkryan/gazelle .", [("fkryan/gazelle", R)]),
    (
        "no-scheme",
        "Codes are\navailable at github.com/hynnsk/SelectiveCL.",
        [("hynnsk/SelectiveCL", R)],
    ),
    (
        "one-slash-scheme",
        "checkpoints at\nhttps:/github.com/HeCheng0625/Diffusion-Speech-Tokenizer.",
        [("HeCheng0625/Diffusion-Speech-Tokenizer", R)],
    ),
    ("host-case", "Code: HTTPS://GitHub.com/hustvl/OmniMamba", [("hustvl/OmniMamba", R)]),
    # LaTeX and markdown leftovers
    (
        "this-url",
        "is available at\nhttps://github.com/HolmesShuan/FireFlow{this URL}.",
        [("HolmesShuan/FireFlow", R)],
    ),
    (
        "doubled",
        "be available at\nhttps://github.com/Wiselnn570/VideoRoPE"
        "{https://github.com/Wiselnn570/VideoRoPE}.",
        [("Wiselnn570/VideoRoPE", R)],
    ),
    (
        "doubled-no-scheme",
        "available at\nhttps://github.com/AIDC-AI/TeEFusion{github.com/AIDC-AI/TeEFusion}.",
        [("AIDC-AI/TeEFusion", R)],
    ),
    (
        "doubled-other-repo",
        "is available at\nhttps://github.com/JohnsonJiang1996/Awesome-VLA4AD"
        "{SicongJiang/Awesome-VLA4AD}.",
        [("JohnsonJiang1996/Awesome-VLA4AD", R)],
    ),
    (
        "latex-url",
        "The\ncode~\\url{https://github.com/CONE-MT/LLaMAX/.} and\n"
        "models~\\url{https://huggingface.co/LLaMAX/.}",
        [("CONE-MT/LLaMAX", R)],
    ),
    (
        "latex-href",
        "We\n\\href{https://github.com/openai/preparedness}{open-source our code} to",
        [("openai/preparedness", R)],
    ),
    (
        "markdown",
        "[GitHub](https://github.com/PKU-YuanGroup/UniSandBox)",
        [("PKU-YuanGroup/UniSandBox", R)],
    ),
    # a space or line break right after a '/'
    (
        "space-after-slash",
        "available at https://github.com/lingo-iitgn/ eka-eval and a part of ongoing EKA",
        [("lingo-iitgn/eka-eval", R)],
    ),
    (
        "newline-after-owner-slash",
        "https://github.com/sirano1004/\nMargin-Apative-Direct-Preference-Optimization",
        [("sirano1004/Margin-Apative-Direct-Preference-Optimization", R)],
    ),
    (
        "newline-after-host-slash",
        "https://github.com/\nFightingFighting/NeuroAda.git",
        [("FightingFighting/NeuroAda", R)],
    ),
    ("paragraph-break-is-not-a-gap", "https://github.com/owner/\n\nNext paragraph", []),
    # organisation-only links
    (
        "org-then-words",
        "The open\nmodels can be accessed through https://github.com/THUDM and\n"
        "https://huggingface.co/THUDM.",
        [],
    ),
    ("org-only", "on the project website at\nhttps://github.com/DFIR-Metric.", []),
    ("org-only-dot", "Code is available at https://github.com/aixiv-org. Website is", []),
    ("org-only-slash", "organization page\nhttps://github.com/mars2workshop/, where", []),
    # lookalike hosts and other GitHub hosts (synthetic)
    ("evil-prefix", "evilgithub.com/a/b", []),
    ("evil-suffix", "github.com.evil.io/a/b", []),
    ("userinfo", "github.com@evil.io/a/b", []),
    ("notgithub-io", "see notgithub.io/x", []),
    ("io-subdomain-of-evil", "x.github.io.evil.com/y", []),
    ("github-in-path", "https://evil.io/github.com/a/b", []),
    ("idn-lookalike", "https://égithub.com/a/b", []),
    ("gist", "https://gist.github.com/karpathy/8627fe009c40f57531cb18360106ce95", []),
    ("api", "https://api.github.com/repos/a/b", []),
    ("raw", "https://raw.githubusercontent.com/a/b/main/README.md", []),
    (
        "review-mirror",
        "source code is available at\nhttps://anonymous.4open.science/r/Molar-8B06/.",
        [],
    ),
    ("reserved-orgs", "https://github.com/orgs/community/discussions", []),
    ("reserved-topics", "https://github.com/topics/llm", []),
    ("reserved-case", "https://github.com/Features/copilot", []),
    # names that fail GitHub's rules, and path tricks (synthetic)
    ("owner-underscore", "https://github.com/some_user/repo", []),
    ("owner-leading-dash", "https://github.com/-user/repo", []),
    ("owner-too-long", f"https://github.com/{'a' * 40}/repo", []),
    ("owner-max-length", f"https://github.com/{'a' * 39}/repo", [(f"{'a' * 39}/repo", R)]),
    ("repo-too-long", f"https://github.com/owner/{'r' * 101}", []),
    ("repo-max-length", f"https://github.com/owner/{'r' * 100}", [(f"owner/{'r' * 100}", R)]),
    ("repo-dotdot", "https://github.com/owner/../etc/passwd", []),
    ("owner-dotdot", "https://github.com/../owner/repo", []),
    ("repo-only-dots", "https://github.com/owner/...", []),
    ("encoded-slash", "https://github.com/owner%2Fx/repo https://github.com/a/b%2F..%2Fc", []),
    ("query-not-a-name", "https://github.com/owner/repo?next=../evil/x", [("owner/repo", R)]),
    ("glued-at", "https://github.com/owner/repo@evil.io", []),
    ("dots-before-git", "https://github.com/owner/repo..git", [("owner/repo", R)]),
    # github.io pages
    ("pages-user-site", "Code and data: mssbench.github.io.", [("mssbench/mssbench.github.io", P)]),
    (
        "pages-user-site-http",
        "at http://kuda-dynamics.github.io.\n",
        [("kuda-dynamics/kuda-dynamics.github.io", P)],
    ),
    ("pages-project", "Project page: hyeonho99.github.io/track4gen", [("hyeonho99/track4gen", P)]),
    (
        "pages-project-in-parens",
        "available here\n(google.github.io/tacotron/publications/zero_shot_voice_transfer).",
        [("google/tacotron", P)],
    ),
    ("pages-file", "https://wolfv0.github.io/leaderboard.html.", [("wolfv0/wolfv0.github.io", P)]),
    (
        "pages-dated-blog",
        "http://shahrukhathar.github.io/2024/07/22/Bridging.html{The project page",
        [("shahrukhathar/shahrukhathar.github.io", P)],
    ),
    (
        "pages-project-named-like-site",
        "are available at\nhttps://kagnlp.github.io/xolver.github.io/.",
        [("kagnlp/xolver.github.io", P)],
    ),
    (
        "pages-latex-underscore",
        "https://insta360-research-team.github.io/DAP\\_website/}",
        [("insta360-research-team/DAP_website", P)],
    ),
    (
        "pages-latex-allowbreak",
        "at https://zheny2751\\allowbreak-dotcom.github.io/\\allowbreak MathSE.github.io/.",
        [("zheny2751-dotcom/MathSE.github.io", P)],
    ),
    ("pages-no-owner", "hosted on github.io.", []),
    # words, not links
    ("word-only", "are released at\nGithub.\n\nLLaMA-NAS", []),
    ("github-dash", "available at GitHub - manglu097/Chiron-o1: Enhancing", []),
    # several links: order of first appearance, deduplication, both kinds
    (
        "several",
        "Project page: https://sihengli99.github.io/GuardReasoner; code at "
        "https://github.com/yueliu1999/GuardReasoner and "
        "https://github.com/YUELIU1999/guardreasoner.git "
        "(pip: https://pypi.org/project/guardreasoner).",
        [("sihengli99/GuardReasoner", P), ("yueliu1999/GuardReasoner", R)],
    ),
    (
        "pypi-not-counted",
        "available at https://github.com/Ajwebdevs/Chronicals with pip installation via "
        "https://pypi.org/project/chronicals/",
        [("Ajwebdevs/Chronicals", R)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_find_links(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(link.repo, link.kind) for link in find_links(text)] == expected


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("see https://www.github.com/a/b.git.", "https://github.com/a/b"),
        ("github.com/a/b/tree/main/sub/.", "https://github.com/a/b/tree/main/sub"),
        ("https://github.com/a/b?tab=readme-ov-file#x", "https://github.com/a/b"),
        ("https://github.com/a/\nb{https://github.com/a/b}", "https://github.com/a/b"),
        ("http://Owner.GitHub.io/proj/index.html).", "https://owner.github.io/proj/index.html"),
        ("owner.github.io", "https://owner.github.io"),
    ],
)
def test_url_is_cleaned(text: str, url: str) -> None:
    assert [link.url for link in find_links(text)] == [url]


@pytest.mark.parametrize("reserved", sorted(RESERVED_OWNERS))
def test_reserved_first_segments_are_not_owners(reserved: str) -> None:
    assert find_links(f"https://github.com/{reserved}/something") == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Owner/Repo", "owner/repo"),
        ("  huggingface/transformers\n", "huggingface/transformers"),
        ("a/b.c-d_e", "a/b.c-d_e"),
        ("owner", None),
        ("owner/", None),
        ("/repo", None),
        ("a/b/c", None),
        ("own_er/repo", None),
        ("owner/..", None),
        ("owner/.", None),
        ("owner/repo.git", None),
        ("owner/re po", None),
        ("owner/%2e%2e", None),
        ("owner/repo?x=1", None),
        (f"{'a' * 40}/b", None),
        (f"a/{'b' * 101}", None),
        ("", None),
    ],
)
def test_parse_repo_name(value: str, expected: str | None) -> None:
    name = RepoName.parse(value)
    assert (name.key if name is not None else None) == expected


def test_name_validators() -> None:
    assert is_valid_owner("a") and is_valid_owner("a" * 39) and is_valid_owner("a--b-")
    assert not any(map(is_valid_owner, ["", "-a", "a" * 40, "a_b", "a.b", "é"]))
    assert is_valid_repo("a") and is_valid_repo("r" * 100) and is_valid_repo(".github")
    assert not any(map(is_valid_repo, ["", ".", "..", "r" * 101, "a b", "a/b", "x.git", "x.GIT"]))


# --- properties ----------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "github.com/", "GitHub.com", "github.io", ".github.io/", "www.", "https://", "http:/",
        "/", "//", ".", "..", ".git", "{", "}", "(", ")", "<", ">", "[", "]", '"', "'", " ", "\n",
        "\\_", "\\allowbreak ", "%2F", "?tab=x", "#r", "/tree/main", "-", "_", "@", "~", ":",
        "owner", "Repo", "a", "Z9", "é", "İ", "\u0130github.com/", "\ud800", "ﬁ",
    ]
)  # fmt: skip
_NAMEISH = st.text(alphabet="aZ09-_.é\\", max_size=45)
_URLISH = st.tuples(
    st.sampled_from(["", " ", "(", "{", "x", "\\url{", "/", "evil.io/"]),
    st.sampled_from(["", "https://", "http://", "https: //", "//"]),
    st.sampled_from(
        ["github.com", "GitHub.com", "www.github.com", "gist.github.com", "x.github.io"]
    ),
    st.sampled_from(["/", "/ ", "/\n", "", "."]),
    _NAMEISH,
    st.sampled_from(["/", "/ ", "/\n", "", ".", ".github.io/"]),
    _NAMEISH,
    st.lists(_PIECES, max_size=6).map("".join),
).map("".join)
_TEXTS = st.one_of(
    st.text(),
    st.lists(_PIECES, max_size=40).map("".join),
    st.lists(_URLISH, min_size=1, max_size=3).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_never_raises_and_names_are_valid(text: str) -> None:
    for link in find_links(text):
        owner, name = link.repo.split("/")
        assert is_valid_owner(owner) and is_valid_repo(name)
        assert link.kind in {"repo", "pages"}
        assert link.url.startswith("https://")


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_normalisation_is_idempotent(text: str) -> None:
    for link in find_links(text):
        again = find_links(link.url)
        assert [(x.repo_name, x.kind) for x in again] == [(link.repo_name, link.kind)]


@pytest.mark.parametrize(
    "text",
    [
        "github.com/" * 100_000,
        "github.com/" + "a/" * 500_000,
        "https://github.com/" + "x" * 1_000_000,
        "x" * 1_000_000 + "github.com/a/b",
        "{" * 100_000 + "https://github.com/a/b" + "}" * 100_000,
        "a.github.io/" * 100_000,
        "\\allowbreak" * 100_000 + "-x.github.io",
        "\\_" * 500_000 + ".github.io",
        "github.com/a/" + "\\allowbreak " * 100_000,
        "é" * 1_000_000 + "github.com/a/b",
    ],
    ids=["host-repeated", "slashes", "one-long-name", "long-line", "nested-braces",
         "pages-repeated", "allowbreaks", "escapes", "allowbreak-name", "wide-chars"],
)  # fmt: skip
def test_linear_time_on_hostile_input(text: str) -> None:
    """Linear by construction, checked by counting operations instead of timing them: the
    scan finds each ``github.`` once (``str.find``), reads what follows with at most one
    anchored, bounded pattern per hit, and resumes after it, so the work is proportional to the
    hits, whatever the text looks like. A pattern tried at every position, or a rescan of the
    same hit, shows up as more calls than hits."""
    calls: Counter[str] = Counter()

    def count(frame: object, event: str, arg: Any) -> None:
        if event == "c_call":
            calls[arg.__name__] += 1

    sys.setprofile(count)
    try:
        found = find_links(text)
    finally:
        sys.setprofile(None)
    hits = text.lower().count("github.")
    assert calls["find"] <= hits + 1
    assert calls["match"] <= hits
    assert calls["search"] == calls["finditer"] == calls["findall"] == 0
    assert all(RepoName.parse(link.repo) is not None for link in found)


# --- mentions_for --------------------------------------------------------------------------------


def _mentions(**fields: Any) -> list[tuple[str, str, str]]:
    paper = Paper(paper_id="2501.00001", source="test", **fields)
    return [(m.repo_name, m.source_field, m.kind) for m in mentions_for(paper)]


def test_mentions_record_the_field_they_came_from() -> None:
    got = _mentions(
        title="X: see github.com/Owner/X",
        abstract="Code: https://github.com/owner/x. Page: https://owner.github.io/x/.",
        comment="Code: https://github.com/owner/x",
        text=None,
        hf_github_repo="https://github.com/owner/x/",
    )
    assert got == [
        ("owner/x", "title", "repo"),
        ("owner/x", "abstract", "repo"),
        ("owner/x", "abstract", "pages"),
        ("owner/x", "comment", "repo"),
        ("owner/x", "hf_github_repo", "repo"),
    ]
    paper = Paper(paper_id="p", source="t", title="github.com/Owner/X")
    (mention,) = mentions_for(paper)
    assert (mention.paper_id, mention.repo, mention.url) == (
        "p",
        "Owner/X",
        "https://github.com/Owner/X",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://github.com/Alibaba-NLP/WebAgent//", ["alibaba-nlp/webagent"]),
        ("https://github.com/Alibaba-NLP/DeepResearch///", ["alibaba-nlp/deepresearch"]),
        ("https://github.com/CsEgir/MMMR/tree/master", ["csegir/mmmr"]),
        ("https://github.com/RUC-NLPIR/ARPO/blob/main/", ["ruc-nlpir/arpo"]),
        ("https://github.com/DFIR-Metric", []),
        ("https://github.com/\nFightingFighting/NeuroAda.git", ["fightingfighting/neuroada"]),
        (
            "https://github.com/sirano1004/\nMargin-Apative-Direct-Preference-Optimization",
            ["sirano1004/margin-apative-direct-preference-optimization"],
        ),
        ("https://github.com/Alibaba-\nNLP/WebAgent", ["alibaba-nlp/webagent"]),  # synthetic
        ("", []),
    ],
)
def test_mentions_from_hf_github_repo(value: str, expected: list[str]) -> None:
    got = _mentions(hf_github_repo=value)
    assert [name for name, _, _ in got] == expected
    assert all(field == "hf_github_repo" for _, field, _ in got)


def test_mentions_empty_paper() -> None:
    assert _mentions() == []


# --- the real data -------------------------------------------------------------------------------


def _hf_papers() -> Iterator[dict[str, Any]]:
    for path in sorted(HF_DAYS.glob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            day = json.load(f)
        if isinstance(day, dict):  # 2025-01-10: {"status", "date", "count", "data"}
            day = day["data"]
        for item in day:
            # 2024-12-11 .. 2025-01-09 store each item as a Python-repr string
            yield (ast.literal_eval(item) if isinstance(item, str) else item)["paper"]


@pytest.mark.shared
def test_seed_links_exactly_ten_repositories() -> None:
    links = find_links(SEED.read_text(encoding="utf-8"))
    assert {link.repo for link in links} == SEED_REPOS
    assert {link.kind for link in links} == {"repo"}


@pytest.mark.shared
def test_all_real_days() -> None:
    assert len(list(HF_DAYS.glob("*.json.gz"))) == 415
    repos: set[str] = set()
    pages: set[str] = set()
    hf_values = 0
    for paper in _hf_papers():
        for field in ("title", "summary"):
            for link in find_links(paper.get(field) or ""):
                (repos if link.kind == "repo" else pages).add(link.repo_name)
        value = paper.get("githubRepo")
        if value:
            hf_values += 1
            got = [m.repo_name for m in mentions_for(Paper("x", "hf", hf_github_repo=value))]
            m = re.search(r"github\.com/([\w-]+)/([\w.-]+)", "".join(value.split()))
            if m:
                name = re.sub(r"(?i)\.git$", "", m[2].rstrip("."))
                assert got == [f"{m[1]}/{name}".lower()], value
            else:
                assert got == [], value
    assert hf_values > 1500
    # ~7,000 abstracts: about a thousand distinct repositories, a few hundred github.io pages.
    assert len(repos) > 1000
    assert len(pages) > 400
    for name in repos | pages:
        assert not re.search(r"[\s{}]", name) and not name.endswith("."), name
        owner, repo = name.split("/")
        assert is_valid_owner(owner) and is_valid_repo(repo), name
        assert owner not in RESERVED_OWNERS, name
