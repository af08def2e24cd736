"""Paper sources: ``files`` (one pure reader per input kind) and ``live`` (arXiv, Hugging Face).

``ids`` holds the one rule for a paper's id that every source shares.
"""
