"""Plain text: the whole input is one document, one Paper.

``text`` is the content exactly as read (decoded UTF-8, nothing collapsed, so the link extractor
sees the original line breaks); ``paper_id`` is the first arXiv id the text mentions (see
``ids.find_arxiv_id``: ``arXiv:2401.04887``, an arxiv.org or hf.co/papers URL), else
``text:<name>`` where name is the input's resolved absolute path (symlinks and ``..`` followed,
e.g. ``text:/home/ada/notes/a.txt``) or ``stdin``. ``source = "text"``.

Why the resolved path (decided in issue 15): the path as typed made ``./a.txt`` and
``/home/ada/a.txt`` two papers for one file. A content hash would also make every edit of a
file a new paper, and the old one would stay forever (harvester deletes nothing); with the
path, a file is one paper and harvesting it again after an edit updates that paper. The cost:
a file that is moved or harvested on another machine is another paper. Texts on stdin have no
path and share ``text:stdin`` (each harvest replaces that paper's text): give a file instead.

A document is one field, so it is read whole: the reading layer refuses plain-text inputs larger
than ``MAX_TEXT_BYTES`` (128 MiB) instead of holding gigabytes in memory.
"""

from __future__ import annotations

from harvester.fsnames import shown
from harvester.models import Paper
from harvester.sources.ids import find_arxiv_id

SOURCE = "text"
MAX_TEXT_BYTES = 128 * 1024 * 1024


def parse_text(text: str, name: str) -> Paper:
    """The Paper for one plain-text document called ``name``."""
    paper_id = find_arxiv_id(text) or f"text:{shown(name)}"  # (a name's non-UTF-8 bytes: \xNN)
    return Paper(paper_id=paper_id, source=SOURCE, text=text)
