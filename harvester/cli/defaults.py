"""Values the option declarations show (defaults, limits, choices), copied from the library
modules that own them, so that declaring every command imports none of those modules: `harvester
--help`, `report` and `status` would otherwise load httpx, every file reader and the GitHub
engine before doing anything (issue 14). ``tests/cli/test_startup.py`` checks that each equals
the library's own value."""

from __future__ import annotations

# harvester.sources.files.FORMATS
INPUT_FORMATS = (
    "hf_daily",
    "json",
    "jsonl",
    "csv",
    "atom",
    "listing",
    "text",
    "snapshot",
    "html",
    "latex",
    "pdf",
    "tar",
)
ARXIV_QUERY_CAP = 30000  # harvester.sources.live.arxiv_api.QUERY_CAP
ARXIV_PAGE_MAX = 2000  # arxiv_api.PAGE_MAX
ARXIV_URL = "https://export.arxiv.org"  # arxiv_api.DEFAULT_URL
HF_PAGE_MAX = 100  # harvester.sources.live.hf_api.PAGE_MAX
HF_URL = "https://huggingface.co"  # hf_api.DEFAULT_URL and harvester.follow.hf.DEFAULT_URL
OAI_URL = "https://oaipmh.arxiv.org/oai"  # harvester.sources.live.oai.DEFAULT_URL
FULLTEXT_URL = "https://export.arxiv.org"  # harvester.follow.fulltext.DEFAULT_URL
FOLLOW_CHANNELS = ("hf", "fulltext", "pages")  # harvester.follow.DEFAULT_CHANNELS
EXPORT_FORMATS = ("parquet", "csv")  # harvester.store.export.FORMATS
