"""A paper id from an input's file name, for documents that carry none inside. Pure.

``2601.02760v2.pdf``, ``arXiv-2601.02760v2.tar.gz``, ``2601.02760.html`` -> ``2601.02760``; for
a file named like ``project.html`` or ``index.html`` the directory it sits in is tried too
(``pages/2503.00329/project.html``); else ``<prefix>:<name>`` with the path as given.
"""

from __future__ import annotations

import os
import re

from harvester.sources.ids import normalize_arxiv_id

_EXTENSIONS = re.compile(r"(?:\.(?:gz|tgz|tar|pdf|html?|xhtml|tex|txt))+$", re.IGNORECASE)
_PREFIX = re.compile(r"^(?:arxiv[-_:.]?)", re.IGNORECASE)


def arxiv_id_from_name(name: str) -> str | None:
    """The arXiv id a file name spells (old-style ids use ``_`` for ``/``: ``hep-th_9901001``)."""
    stem = _PREFIX.sub("", _EXTENSIONS.sub("", os.path.basename(name)))
    return normalize_arxiv_id(stem) or normalize_arxiv_id(stem.replace("_", "/", 1))


def paper_id_from_name(name: str, prefix: str) -> str:
    """The arXiv id in the file's name or its directory's name, else ``prefix:name``."""
    found = arxiv_id_from_name(name)
    if found is None:
        parent = os.path.basename(os.path.dirname(os.path.normpath(name)))
        found = normalize_arxiv_id(parent) if parent else None
    return found or f"{prefix}:{os.path.normpath(name)}"
