"""The pure reading of rate-limit answers (harvester/github/limits.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from harvester.github import limits
from harvester.github.transport import Reply

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("resource", "reply", "expected"),
    [
        ("core", Reply(401, {}, {"message": "Bad credentials"}), "auth"),
        (
            "core",
            Reply(403, {"x-ratelimit-remaining": "0"}, {"message": "API rate limit"}),
            "primary",
        ),
        (
            "core",
            Reply(403, {}, {"message": "You have exceeded a secondary rate limit"}),
            "secondary",
        ),
        ("core", Reply(403, {"retry-after": "30"}, {"message": "slow down"}), "secondary"),
        ("core", Reply(429, {}, {}), "secondary"),
        ("core", Reply(403, {}, {"message": "Repository access blocked", "block": {}}), None),
        ("core", Reply(404, {}, {"message": "Not Found"}), None),
        ("graphql", Reply(200, {}, {"errors": [{"type": "RATE_LIMITED"}]}), "primary"),
        ("graphql", Reply(200, {}, {"errors": [{"type": "NOT_FOUND"}]}), None),
    ],
)
def test_verdict(resource: str, reply: Reply, expected: str | None) -> None:
    assert limits.verdict(resource, reply) == expected


def test_reset_from_the_header_then_graphql_then_a_minute() -> None:
    header = Reply(403, {"x-ratelimit-reset": str(int(NOW.timestamp()) + 600)}, {})
    assert limits.reset_at(header, NOW) == NOW + dt.timedelta(seconds=600)
    body = {"data": {"rateLimit": {"resetAt": "2026-11-29T12:30:00Z"}}}
    assert limits.reset_at(Reply(200, {}, body), NOW) == NOW + dt.timedelta(minutes=30)
    assert limits.reset_at(Reply(200, {}, None), NOW) == NOW + dt.timedelta(seconds=60)


def test_message_is_githubs_first_line_or_says_there_is_none() -> None:
    assert limits.message(Reply(500, {}, {"message": "Server Error\nmore"})) == "Server Error"
    assert limits.message(Reply(502, {}, None)) == "no message"
