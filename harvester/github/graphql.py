"""GitHub's GraphQL API over httpx: one POST per batch of up to 100 repositories.

PyGithub's ``graphql_query`` raises on any ``errors`` entry, which would throw away a whole
batch for one missing repository; this client returns the payload as is and lets
``parse.parse_graphql`` keep the partial data.
"""

from __future__ import annotations

import httpx

from harvester import __version__
from harvester.config import Secret
from harvester.github.transport import NetworkError, Reply, decode_json, redirect_refused


class GraphQLClient:
    def __init__(
        self,
        url: str,
        token: Secret,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={
                "Authorization": f"bearer {token.reveal()}",
                "User-Agent": f"harvester/{__version__}",
                "Accept": "application/json",
            },
            transport=transport,
            follow_redirects=False,
        )

    def query(self, document: str) -> Reply:
        try:
            response = self._client.post(self.url, json={"query": document})
            body = response.read()
        except (httpx.ConnectError, httpx.UnsupportedProtocol) as exc:
            raise NetworkError(f"cannot connect to {self.url}: {exc}", reachable=False) from None
        except httpx.TimeoutException:
            raise NetworkError("timed out waiting for GitHub's GraphQL API") from None
        except httpx.HTTPError as exc:
            raise NetworkError(f"connection to GitHub failed: {type(exc).__name__}") from None
        headers = {k.lower(): v for k, v in response.headers.items()}
        if 300 <= response.status_code < 400:
            raise redirect_refused(self.url, response.status_code, headers.get("location"))
        return Reply(response.status_code, headers, decode_json(body, response.status_code))

    def close(self) -> None:
        self._client.close()
