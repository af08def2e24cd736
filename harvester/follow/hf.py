"""The ``hf`` channel: a paper's Hugging Face record, ``GET /api/papers/{id}`` at the HF root the
live source uses. Its author-declared ``githubRepo`` becomes a mention (``hf_github_repo``) and its
``projectPage`` the paper's ``project_page``, which the ``pages`` channel follows.

Only papers that did not come from Hugging Face itself are asked (a listing already carried the
record), and only by arXiv id. A 404 means HF has no page for the paper: recorded, not a problem.
"""

from __future__ import annotations

from harvester import links
from harvester.errors import InputError
from harvester.follow.common import Fetched, fetch
from harvester.models import Paper
from harvester.sources.files import hf_daily
from harvester.sources.live import hf_api
from harvester.store.documents import Document, FollowPaper
from harvester.web import PoliteClient

CHANNEL = "hf"
NAME = hf_api.NAME
DEFAULT_URL = hf_api.DEFAULT_URL
POLICY = hf_api.POLICY
SOURCE = "hf_paper"  # a paper's source when it was first stored from its HF record


def wanted(paper: FollowPaper) -> bool:
    return paper.source != hf_daily.SOURCE


def url_for(root: str, paper_id: str) -> str:
    return f"{root.rstrip('/')}/api/papers/{paper_id}"


def follow(
    client: PoliteClient, root: str, paper: FollowPaper, stored: Document | None = None
) -> Fetched:
    """The paper's HF record (conditionally when ``stored``: a 304 keeps what it gave, and the
    paper already holds its repository and project page)."""
    url = url_for(root, paper.paper_id)
    fetched = fetch(client, url, paper.paper_id, CHANNEL, stored=stored)
    if fetched.document.status == 404:
        fetched.message = None  # HF has no page for the paper: common, not worth a note
    if fetched.ok and fetched.page is not None:
        try:
            record = hf_daily.parse_item(fetched.page.json(), where=url)
        except ValueError as exc:
            fetched.unreadable(InputError(f"is not JSON ({exc})"))
            return fetched
        except InputError as exc:
            fetched.unreadable(exc)
            return fetched
        update = Paper(
            paper_id=paper.paper_id,
            source=SOURCE,
            hf_github_repo=record.hf_github_repo,
            hf_github_stars=record.hf_github_stars,
            project_page=record.project_page,
        )
        fetched.found(paper.paper_id, links.mentions_for(update), update)
    return fetched
