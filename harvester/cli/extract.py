"""``harvester extract``: the GitHub links in paper files, printed; no database, no network."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from harvester.cli.app import app, guard, output_format
from harvester.cli.defaults import INPUT_FORMATS
from harvester.cli.options import SourcesArgument
from harvester.cli.output import emit
from harvester.render import FORMATS, render

COLUMNS = ["paper_id", "repo", "source_field", "url", "kind", "locus", "context"]
# ``json.dumps(row, ensure_ascii=False)`` as render's jsonl calls it, built once (dumps builds
# an encoder per call); a mention's values are strings or None, which ``render.plain`` keeps.
_encode = json.JSONEncoder(ensure_ascii=False).encode


@app.command()
def extract(
    sources: SourcesArgument,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=f"Output format: {', '.join(FORMATS)} (jsonl is written as papers are read).",
        ),
    ] = "jsonl",
    input_format: Annotated[
        str | None,
        typer.Option("--input-format", help=f"Force: {', '.join(INPUT_FORMATS)}."),
    ] = None,
) -> None:
    """Print the GitHub links found in papers, one row per mention (paper_id, repo as written,
    source_field, url, kind, and for full texts and pages where in the document (locus) and the
    sentence or anchor text around it (context)). No database, no network."""

    def body() -> None:
        from harvester import links  # imported when the command runs (cli/app.py)
        from harvester.sources.files import read_inputs

        output_format(fmt)
        rows: list[tuple[Any, ...]] = []
        out = sys.stdout
        mentions_for, jsonl, write = links.mentions_for, fmt == "jsonl", out.write
        for paper in read_inputs(sources, input_format):
            mentions = mentions_for(paper)
            if not mentions:  # most papers: nothing to render
                continue
            found = [
                (m.paper_id, m.repo, m.source_field, m.url, m.kind, m.locus, m.context)
                for m in mentions
            ]
            if jsonl:  # render(COLUMNS, found, "jsonl"), byte for byte, without its per-call setup
                write("".join([_encode(dict(zip(COLUMNS, r, strict=True))) + "\n" for r in found]))
            else:
                rows.extend(found)
        if fmt != "jsonl":
            emit(render(COLUMNS, rows, fmt), fmt)
        out.flush()

    guard(body)
