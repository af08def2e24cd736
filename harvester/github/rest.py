"""GitHub's REST API through PyGithub: single-repository reads, probes and conditional refreshes.

We use PyGithub's ``Requester`` for the transport (auth, GitHub Enterprise ``base_url``, 301
redirects to ``/repositories/{id}``) but read the status and headers ourselves, so that 404,
451, 403-with-``block``, 304 and rate-limit answers are classified by the engine, not retried
or slept on by PyGithub (``retry=None``, no throttle: the engine paces requests). We read the
JSON once, never touching lazy attributes that would trigger hidden requests.
"""

from __future__ import annotations

import logging

from harvester import __version__
from harvester.config import Secret
from harvester.github.transport import (
    NetworkError,
    RedirectRefused,
    Reply,
    decode_json,
    redirect_refused,
)


class RestClient:
    def __init__(
        self,
        base_url: str,
        token: Secret | None,
        *,
        timeout: float = 30.0,
        pool_size: int | None = None,
    ) -> None:
        # Imported here: PyGithub (and requests) cost ~150 ms at start-up, which every command
        # would pay, --no-stats and extract included, though only GitHub work needs them.
        import github  # noqa: PLC0415

        self.base_url = base_url
        # PyGithub logs each followed 301 at INFO to stderr; renames are our data, not noise.
        logging.getLogger("github").setLevel(logging.WARNING)
        auth = github.Auth.Token(token.reveal()) if token is not None else None
        self._gh = github.Github(
            auth=auth,
            base_url=base_url,
            timeout=max(1, round(timeout)),
            user_agent=f"harvester/{__version__}",
            retry=None,
            pool_size=pool_size,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )

    def get(
        self,
        path: str,
        headers: dict[str, str] | None = None,
        params: dict[str, str | int] | None = None,
        *,
        raw: bool = False,
    ) -> Reply:
        """GET ``path``; ``raw``: a 200's body is kept as text (``payload`` is a str), for
        ``Accept: application/vnd.github.raw`` (a README as it is)."""
        try:
            status, resp_headers, body = self._gh.requester.requestJson(
                "GET", path, parameters=params, headers=headers
            )
        except RuntimeError as exc:  # PyGithub refuses a redirect to another host or scheme
            said = str(exc).split(", please")[0][:160]  # "... redirected from host A to B"
            raise RedirectRefused(
                f"{self.base_url} answered with a redirect; not followed ({said}; is "
                "--github-url the API root, e.g. https://HOST/api/v3?)"
            ) from None
        except ConnectionRefusedError:
            raise NetworkError(f"cannot connect to {self.base_url}", reachable=False) from None
        except OSError as exc:  # requests' exceptions derive from OSError (IOError)
            raise NetworkError(_describe(exc), reachable=_reachable(exc)) from None
        lowered = {str(k).lower(): str(v) for k, v in resp_headers.items()}
        if 300 <= int(status) < 400 and int(status) != 304:  # (PyGithub followed what it may)
            raise redirect_refused(self.base_url, int(status), lowered.get("location"))
        if raw and int(status) == 200:
            return Reply(200, lowered, body or "")
        return Reply(int(status), lowered, decode_json(body or "", int(status)))

    def get_repo(self, name: str, etag: str | None = None) -> Reply:
        """GET /repos/{owner}/{name}; ``name`` must already be validated."""
        headers = {"If-None-Match": etag} if etag else None
        return self.get(f"/repos/{name}", headers)

    def rate_limit(self) -> Reply:
        return self.get("/rate_limit")

    def close(self) -> None:
        self._gh.close()


def _reachable(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return not any(
        marker in text
        for marker in (
            "connection refused",
            "name or service not known",
            "nodename nor servname",
            "failed to resolve",
            "no route to host",
            "network is unreachable",
            "temporary failure in name resolution",
        )
    )


def _describe(exc: BaseException) -> str:
    name = type(exc).__name__
    if "timeout" in name.lower() or "timed out" in str(exc).lower():
        return "timed out waiting for GitHub's REST API"
    if not _reachable(exc):
        return f"cannot reach GitHub's REST API ({name})"
    return f"connection to GitHub's REST API failed ({name})"
