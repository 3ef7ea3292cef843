"""PDF exports from tests: another process holding the printer, and a PDF read back as text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers.apps import ROOT


def hold_pdf_turn(folder: Path, printers: int = 1):
    """Another process (another worker, or the command line) printing PDFs: it holds every turn
    in ``folder`` until the returned process's stdin is closed (``communicate()``)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from contextlib import ExitStack; from pathlib import Path\n"
         "from workbench.services.exports.pdf_queue import turn\n"
         "with ExitStack() as held:\n"
         f"    for _ in range({printers}):\n"
         f"        held.enter_context(turn(Path({str(folder)!r}), printers={printers}, wait=5,\n"
         f"                                per_process={printers}))\n"
         "    print('holding', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def pdf_text(content: bytes) -> str:
    """The text of a PDF, every run of whitespace made one space."""
    assert content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())
