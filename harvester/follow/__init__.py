"""Following papers to the documents where their code is named: the Hugging Face record
(``hf``), the full text (``fulltext``) and the project page (``pages``), each a module; ``run``
drives them as a job, ``plan`` estimates one (``--dry-run``), ``guard`` decides which URLs may
be fetched (private addresses, robots.txt). Every document is recorded in ``documents``."""

from harvester.follow.options import CHANNELS, DEFAULT_CHANNELS, FollowOptions, parse_channels
from harvester.follow.plan import Plan, plan
from harvester.follow.run import FollowReporter, FollowSummary, follow

__all__ = [
    "CHANNELS",
    "DEFAULT_CHANNELS",
    "FollowOptions",
    "FollowReporter",
    "FollowSummary",
    "Plan",
    "follow",
    "parse_channels",
    "plan",
]
