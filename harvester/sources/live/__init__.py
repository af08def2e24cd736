"""Live paper sources: the arXiv API and the Hugging Face papers API, through ``harvester.web``."""
