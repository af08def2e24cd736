"""Every error harvester reports to a user, and the exit code each one maps to.

Library code raises these; only ``cli`` turns them into a one-line message on stderr and an exit
code. Anything else escaping to the CLI is a bug and is reported as an internal error (exit 1).

    HarvesterError                      exit 1   (base; not raised directly)
    ├── UsageError                      exit 2   bad option value, unknown report, bad --param
    ├── InputError                      exit 3   missing/unreadable/malformed input file or stream
    ├── StoreError                      exit 4   database cannot be opened, written or trusted
    │   └── StoreLockedError            exit 4   another process holds the database (names the PID)
    ├── GitHubError                     exit 5   GitHub refused us: bad token, bad --github-url
    ├── SourceError                     exit 5   a live paper source (arXiv, HF) refused us
    ├── QueryError                      exit 7   SQL given to ``sql``/``report`` failed
    └── Interrupted                     exit 130 Ctrl-C; what was fetched is committed

Exit code 6 is not an exception: a job that stored everything it read but left GitHub work
pending (offline, budget spent past ``--max-wait``), or in which every fetch failed, ends
normally with code 6, "resumable". A ``--github-url`` that redirects is a GitHubError (exit 5).

Messages must never contain the GitHub token; ``config.redact`` is applied by the CLI as a last
line of defence, but nothing should rely on it.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_STORE = 4
EXIT_REMOTE = 5
EXIT_RESUMABLE = 6
EXIT_QUERY = 7
EXIT_INTERRUPTED = 130


class HarvesterError(Exception):
    """Base class: a problem a user can act on, described in one line."""

    exit_code = EXIT_INTERNAL


class UsageError(HarvesterError):
    exit_code = EXIT_USAGE


class InputError(HarvesterError):
    exit_code = EXIT_INPUT


class StoreError(HarvesterError):
    exit_code = EXIT_STORE


class StoreLockedError(StoreError):
    pass


class GitHubError(HarvesterError):
    exit_code = EXIT_REMOTE


class SourceError(HarvesterError):
    exit_code = EXIT_REMOTE


class QueryError(HarvesterError):
    exit_code = EXIT_QUERY


class Interrupted(HarvesterError):
    exit_code = EXIT_INTERRUPTED
