"""The command line: the only package that imports typer and rich.

``app`` holds the typer app and its one error path, ``options`` the options several commands
share, ``progress`` the progress display; each command group has its own module, which parses
its options, calls one library function, renders the result and exits.
"""

# isort: off
# Importing a command module registers its commands; `harvester --help` lists them in this order.
from harvester.cli import harvest, refresh, follow, extract, report, status, chart

# isort: on
from harvester.cli.app import app, main


def __getattr__(name: str) -> object:
    if name == "RichReporter":  # rich's progress display: imported when first asked for
        from harvester.cli.progress import RichReporter

        return RichReporter
    raise AttributeError(name)


__all__ = [
    "RichReporter",
    "app",
    "chart",
    "extract",
    "follow",
    "harvest",
    "main",
    "refresh",
    "report",
    "status",
]
