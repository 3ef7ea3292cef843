"""The HTML report printed to PDF by headless Chromium (Debian's package; no network needed)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from workbench.errors import WorkbenchError

CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer",
                  "--disable-extensions", "--mute-audio"]


class PdfUnavailableError(WorkbenchError):
    status, code = 503, "pdf_unavailable"


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def html_to_pdf(html: str, *, timeout: float = 60.0) -> bytes:
    """Print ``html`` (a self-contained page) to PDF."""
    chromium = chromium_path()
    if chromium is None:
        raise PdfUnavailableError("PDF export needs Chromium on the server (apt-get install chromium).")
    with tempfile.TemporaryDirectory(prefix="workbench-pdf-") as tmp:
        source, target = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        source.write_text(html, encoding="utf-8")
        try:
            subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={target}",
                            source.as_uri()], check=True, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfUnavailableError(f"Printing the PDF took longer than {timeout:g} s.") from None
        except subprocess.CalledProcessError as err:
            detail = err.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise PdfUnavailableError(f"Chromium could not print the PDF: {detail[0]}") from None
        if not target.exists() or target.stat().st_size == 0:
            raise PdfUnavailableError("Chromium produced no PDF.")
        return target.read_bytes()
