"""The role rules: official, third-party or unknown per paper x repository, with decoys."""

from __future__ import annotations

from harvester.roles import LIST_LIMIT, Evidence, Role, assign


def by_repo(roles: list[Role]) -> dict[str, Role]:
    return {r.repo: r for r in roles}


def test_own_text_and_code_button_and_declared_are_official() -> None:
    roles = by_repo(
        assign(
            [
                Evidence("p", "a/abs", "abstract", "abstract"),
                Evidence("p", "b/page", "pages", "code_link"),
                Evidence("p", "c/first", "fulltext", "first_page"),
            ]
        )
    )
    assert {r.role for r in roles.values()} == {"official"}


def test_evidence_adds_up_and_channels_are_listed() -> None:
    one = assign([Evidence("p", "a/x", "declared")])[0]
    three = assign(
        [
            Evidence("p", "a/x", "declared"),
            Evidence("p", "a/x", "readme", "id", 1),
            Evidence("p", "a/x", "pages", "code_link"),
        ]
    )[0]
    assert three.confidence > one.confidence
    assert three.channels == ["declared", "pages", "readme"]
    assert not three.conflict


def test_references_only_is_third_party_and_body_only_unknown() -> None:
    roles = by_repo(
        assign(
            [
                Evidence("p", "base/line", "fulltext", "references"),
                Evidence("p", "some/tool", "fulltext", "body"),
                Evidence("p", "nerfies/nerfies.github.io", "pages", "body"),
            ]
        )
    )
    assert roles["base/line"].role == "third_party"
    assert roles["some/tool"].role == "unknown"
    assert roles["nerfies/nerfies.github.io"].role == "unknown"


def test_an_awesome_list_is_not_official_by_back_link() -> None:
    roles = assign([Evidence("p", "x/awesome", "readme", "link", LIST_LIMIT + 150)])
    assert roles[0].role == "unknown"
    own = assign([Evidence("p", "x/own", "readme", "link", 3)])
    assert own[0].role == "official"


def test_a_fork_of_the_official_repository_is_not_official() -> None:
    evidence = [
        Evidence("p", "auth/code", "declared"),
        Evidence("p", "auth/code", "readme", "link", 1),
        Evidence("p", "fan/code", "readme", "link", 1),  # a fork keeps the README
    ]
    roles = by_repo(assign(evidence, forks=frozenset({"fan/code"})))
    assert roles["auth/code"].role == "official"
    assert roles["fan/code"].role == "third_party"
    alone = assign([Evidence("p", "fan/code", "readme", "link", 1)], forks=frozenset({"fan/code"}))
    assert alone[0].role == "unknown"


def test_a_similar_title_readme_is_no_evidence_for_the_other_paper() -> None:
    # the back-link rule gives no readme evidence for the other paper; only its body link stays
    roles = assign([Evidence("p", "other/similar", "pages", "body")])
    assert roles[0].role == "unknown"


def test_conflict_when_declared_disagrees_with_own_text() -> None:
    roles = by_repo(
        assign(
            [
                Evidence("p", "auth/old", "declared"),
                Evidence("p", "auth/new", "abstract", "abstract"),
                Evidence("p", "auth/new", "readme", "id", 1),
            ]
        )
    )
    assert roles["auth/old"].conflict and roles["auth/new"].conflict
    assert roles["auth/new"].confidence > roles["auth/old"].confidence


def test_no_conflict_when_declared_is_supported() -> None:
    roles = assign(
        [
            Evidence("p", "auth/code", "declared"),
            Evidence("p", "auth/code", "readme", "title", 2),
            Evidence("p", "auth/data", "abstract", "abstract"),
        ]
    )
    assert not any(r.conflict for r in roles)


def test_rows_are_sorted_official_first_then_confidence() -> None:
    roles = assign(
        [
            Evidence("p", "z/ref", "fulltext", "references"),
            Evidence("p", "a/weak", "readme", "title", 1),
            Evidence("p", "m/strong", "abstract", "abstract"),
            Evidence("p", "m/strong", "declared"),
        ]
    )
    assert [r.repo for r in roles] == ["m/strong", "a/weak", "z/ref"]
