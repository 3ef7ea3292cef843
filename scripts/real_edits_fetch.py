"""Rebuild the package part of the real-edit corpus (tests/corpus/real_edits/) from PyPI.

Each document is a package's long description (its README, as published in each release's wheel
metadata) in successive releases. Run it with network access to PyPI:

    .venv/bin/python scripts/real_edits_fetch.py [folder of wheels already downloaded]

It downloads each listed release's wheel with pip into a temporary folder, reads the description
from the wheel's METADATA and writes it as canonical text (see tests/corpus/real_edits.py), one
file a release. A release whose description did not change is skipped. The GitHub-sourced
documents of the corpus are not rebuilt here (their origins are in the corpus README).
"""

from __future__ import annotations

import email
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.corpus.real_edits import REAL_EDITS_DIR, canonical  # noqa: E402

#: Folder name: (package, releases oldest first, longest text kept in characters or None).
DOCUMENTS = {
    "pypinyin-zh": ("pypinyin", ["0.20.0", "0.30.0", "0.36.0", "0.40.0", "0.44.0", "0.47.1", "0.50.0", "0.53.0"], None),
    "jpholiday-ja": ("jpholiday", ["0.0.5", "0.0.7", "0.1.1", "0.1.4", "0.1.8", "0.1.10", "1.0.1", "1.0.3"], None),
    "tltk-th": ("tltk", ["1.7", "1.8", "1.9.1", "1.10", "1.11"], 20000),
    "soynlp-ko": ("soynlp", ["0.0.48", "0.0.491", "0.0.493"], None),
    "hazm-fa": ("hazm", ["0.7.0", "0.10.0"], None),
    "pyarabic-ar": ("pyarabic", ["0.6.2", "0.6.4", "0.6.13"], None),
    "rich-en": ("rich", ["1.0.0", "3.0.0", "5.0.0", "8.0.0", "10.0.0", "12.0.0", "13.0.0", "13.5.0", "14.0.0"], 20000),
}


def description(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        message = email.message_from_bytes(archive.read(name))
    body = message.get_payload(decode=True)
    return body.decode("utf-8", "replace") if body else ""


def first_chars(text: str, limit: int | None) -> str:
    """The leading paragraphs of ``text`` that fit in ``limit`` characters."""
    if limit is None or len(text) <= limit:
        return text
    cut = text.rfind("\n\n", 0, limit)
    return text[:cut if cut > 0 else limit]


def fetch(package: str, version: str, folder: Path, cache: Path | None = None) -> Path:
    """The release's wheel: from ``cache`` (a folder of wheels already downloaded) or from PyPI."""
    for found in (cache.glob(f"*-{version}-*.whl") if cache else ()):
        if found.name.lower().startswith(package.lower().replace("-", "_")):
            return found
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
                    "--python-version", "3.10", "--platform", "manylinux2014_x86_64", "--implementation", "cp",
                    "-d", str(folder), f"{package}=={version}"], check=True)
    return next(p for p in folder.glob("*.whl") if f"-{version}-" in p.name)


def main() -> None:
    cache = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    for name, (package, versions, limit) in DOCUMENTS.items():
        target = REAL_EDITS_DIR / name
        target.mkdir(parents=True, exist_ok=True)
        previous = None
        with tempfile.TemporaryDirectory() as tmp:
            for number, version in enumerate(versions, 1):
                folder = Path(tmp) / version
                folder.mkdir()
                text = first_chars(canonical(description(fetch(package, version, folder, cache))), limit)
                if text != previous and text.strip():
                    (target / f"{number:02}-{version}.txt").write_text(text + "\n", encoding="utf-8")
                previous = text
        print(f"{name}: {len(list(target.glob('*.txt')))} revisions")


if __name__ == "__main__":
    main()
