"""What every live source shares: one polite client (``harvester.web``), closed on exit."""

from __future__ import annotations

from typing import Self

from harvester.web import PoliteClient


class LiveSource:
    """A live paper source; use it as a context manager so its connection is closed."""

    client: PoliteClient

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
