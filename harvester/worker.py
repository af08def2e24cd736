"""Reading large file inputs in a worker process, beside the process that writes them.

A harvest of files has two halves of about equal cost: reading them (JSON, the readers, link
finding) and writing the batches (``Store.save_batch``: DuckDB's Appender and the commit). In one
process they share one GIL, and took turns more than they overlapped. For inputs of at least
``MIN_BYTES`` in total (and never stdin), ``harvest FILE`` therefore reads them in a child process
(``ReaderProcess``): the child runs ``read_inputs``, groups the papers into batches, finds each
batch's mentions and prepares its staging rows (``PaperBatch.of``), and sends each batch, pickled,
through a pipe to the parent, which only writes. The pipe is the bound: the child blocks on it
while the parent has a batch to unpickle and one in the writer, so at most about three batches
are in flight and memory stays flat.

The child is started with ``subprocess`` (fork+exec of a fresh interpreter: the parent holds
DuckDB, which must not be forked) and imports only the readers, ``links`` and ``paper_batch``,
never duckdb; it loads the parent's own copy of ``harvester`` whatever its working directory.

* Errors: an exception in the child (a bad input: ``InputError``) is sent through the pipe and
  raised again in the parent, same class, same one-line message; every batch sent before it is
  written first. A child that dies without a word (killed, crashed) ends the harvest with
  ``ReaderDied``, one line, never a hang.
* Ctrl-C: the child runs in its own process group and ignores SIGINT, so a terminal's Ctrl-C
  reaches only the parent, which lets the write in flight land, as without a worker, and then
  kills and reaps the child (as on any other way out, SIGTERM's included).
* The parent killed (SIGKILL): the child dies with it (``PR_SET_PDEATHSIG`` on Linux, set
  before it reads anything), and elsewhere at its next write to the pipe (EPIPE). It holds no
  database lock in any case. PDEATHSIG follows the *thread* that started the child: start it
  from a thread that outlives it (a harvest starts it on its calling thread).

``MIN_BYTES`` is the threshold; the environment variable ``HARVESTER_WORKER_MIN_BYTES`` (not a
CLI option: for tests and benchmarks) overrides it, ``0`` sending every file harvest through a
worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from harvester import paper_batch
from harvester.errors import EXIT_INTERNAL, HarvesterError
from harvester.paper_batch import PaperBatch

# Inputs of at least this many bytes in total are read by a worker process (see the docstring):
# below it the ~0.4 s of the child's start-up is not won back (measured: benchmarks/README.md).
MIN_BYTES = 32 << 20
MIN_BYTES_ENV = "HARVESTER_WORKER_MIN_BYTES"

_PIPE_BYTES = 1 << 20  # the pipe's capacity (Linux allows up to /proc/sys/fs/pipe-max-size)
_F_SETPIPE_SZ = 1031
_PR_SET_PDEATHSIG = 1
# ``-P``: no working directory on sys.path (a ``json.py`` there would shadow the standard
# library's); the parent's ``harvester`` root goes first only when it is not on the path
# already (an installed harvester's root is site-packages, which must not go before the
# standard library; a checkout run with ``python -m`` is found through the working directory).
_BOOT = (
    "import sys; r = sys.argv[1]; r in sys.path or sys.path.insert(0, r); "
    "from harvester.worker import main; main()"
)


class ReaderDied(HarvesterError):
    """The worker process ended without finishing or saying why (killed, crashed)."""

    exit_code = EXIT_INTERNAL


def wanted(specs: Sequence[str]) -> bool:
    """Whether ``specs`` are worth a worker: files only (no stdin) of ``MIN_BYTES`` or more.
    Resolving the specs raises the ``InputError`` reading them would (a missing file)."""
    from harvester.sources.files import resolve  # noqa: PLC0415 - see _prepared

    if "-" in specs:
        return False
    threshold = int(os.environ.get(MIN_BYTES_ENV) or MIN_BYTES)
    total = 0
    for _name, path in resolve(specs):
        if path is None:
            return False
        with contextlib.suppress(OSError):  # (reading it will say what is wrong with it)
            total += os.path.getsize(path)
        if total >= threshold:
            return True
    return False


class ReaderProcess:
    """The papers of file inputs ``specs`` (format ``fmt``, None: detected per input), read in
    a worker process and delivered as prepared batches (``batches``)."""

    def __init__(self, specs: Sequence[str], fmt: str | None = None) -> None:
        self.specs = list(specs)
        self.fmt = fmt
        self.process: subprocess.Popen[bytes] | None = None  # while ``batches`` runs

    @contextlib.contextmanager
    def batches(self, size: int) -> Iterator[Iterator[PaperBatch]]:
        """Start the worker; yield its batches of ``size`` papers, in input order. The worker
        is killed and reaped when the block ends, however it ends."""
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
        root = str(Path(__file__).resolve().parent.parent)
        proc = subprocess.Popen(  # noqa: S603 - this interpreter, this module, no shell
            [sys.executable, "-P", "-c", _BOOT, root, str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            process_group=0,  # out of the terminal's foreground group: Ctrl-C is the parent's
        )
        self.process = proc
        try:
            assert proc.stdin is not None and proc.stdout is not None
            with contextlib.suppress(OSError):  # a larger pipe: fewer switches; best effort
                fcntl.fcntl(proc.stdout.fileno(), _F_SETPIPE_SZ, _PIPE_BYTES)
            with contextlib.suppress(BrokenPipeError):  # (it died: receive says how)
                pickle.dump((self.specs, self.fmt, size), proc.stdin)
                proc.stdin.close()
            yield _receive(proc, proc.stdout, errors)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            self.process = None
            for stream in (proc.stdin, proc.stdout, errors):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()


def _receive(
    proc: subprocess.Popen[bytes], stream: IO[bytes], errors: IO[bytes]
) -> Iterator[PaperBatch]:
    while True:
        try:
            kind, value = pickle.load(stream)  # noqa: S301 - our own child's messages
        except (EOFError, pickle.UnpicklingError):
            raise _died(proc, errors) from None
        if kind == "batch":
            yield value
        elif kind == "done":
            return
        else:
            raise value


def _died(proc: subprocess.Popen[bytes], errors: IO[bytes]) -> ReaderDied:
    try:
        code = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # alive, yet its stream ended: it is no use any more
        proc.kill()
        code = proc.wait()
    how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
    errors.seek(0)
    said = [line for line in errors.read().decode("utf-8", "replace").splitlines() if line]
    last = f" ({said[-1].strip()[:200]})" if said else ""
    return ReaderDied(
        f"the process reading the inputs {how}{last}; the papers read before it are saved: "
        "run the same command again to continue"
    )


# -- the worker's side -----------------------------------------------------------------------


def main() -> None:
    """The worker process (``_BOOT``): settings from stdin, messages to the pipe on stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(int(sys.argv[2]))
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever else prints goes to stderr, not into the stream of batches
    try:
        specs, fmt, size = pickle.load(sys.stdin.buffer)  # noqa: S301 - from the parent
    except EOFError:  # the parent is gone before it said what to read
        os._exit(1)
    try:
        _read(out, specs, fmt, size)
        _send(out, ("done", None))
    except BrokenPipeError:  # the parent is gone
        os._exit(1)
    except Exception as exc:
        with contextlib.suppress(BrokenPipeError):
            _send(out, ("error", _portable(exc)))
    os._exit(0)  # (nothing to flush or clean up: skip the interpreter's teardown)


def _read(out: IO[bytes], specs: list[str], fmt: str | None, size: int) -> None:
    """Send the papers of ``specs`` in prepared batches of ``size``. One batch at a time: the
    papers of the next are read only once the last one is in the pipe, and freed."""
    # (imported here: the readers import pypdfium2 and more, which a live harvest, importing
    # this module through harvester.harvest, does not need)
    from harvester.sources.files import read_inputs  # noqa: PLC0415

    for prepared in paper_batch.batches(read_inputs(specs, fmt), size):
        _send(out, ("batch", prepared))
        del prepared


def _send(out: IO[bytes], message: tuple[str, Any]) -> None:
    pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


def _portable(exc: Exception) -> Exception:
    """``exc`` as the parent can unpickle it: itself when it round-trips (a HarvesterError
    always does), else a RuntimeError naming it; an unexpected one carries the worker's
    traceback as a note (shown with HARVESTER_DEBUG=1, never in the one-line message)."""
    if not isinstance(exc, HarvesterError):
        exc.add_note("in the worker process:\n" + "".join(traceback.format_exception(exc)))
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - its own bytes
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when the parent ends; gone already: exit now."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
