"""Rebuild the package part of the real-edit corpus (tests/corpus/real_edits/) from PyPI and npm.

Each document is a package's README in successive releases: for a PyPI package, the long
description published in each release's wheel metadata (or, for a release without a wheel, its
source distribution's PKG-INFO, else the README file inside it); for an npm package, the README
inside each release's tarball. Run it with access to both registries:

    .venv/bin/python scripts/real_edits_fetch.py [folder of files already downloaded] [document ...]

It downloads each listed release with pip (``pip download --no-deps``) or npm (``npm pack``) into a
temporary folder and writes the README as canonical text (see tests/corpus/real_edits.py), one file
a release. A release whose README did not change is skipped. Naming documents rebuilds only those.
The prose documents (``FILE_DOCUMENTS``: a specification, guides, policies, translated READMEs)
are one file inside each release's archive: the npm tarball, or the PyPI source distribution. The
GitHub-sourced documents of the corpus are not rebuilt here (their origins are in the corpus
README).
"""

from __future__ import annotations

import email
import email.header
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.corpus.real_edits import REAL_EDITS_DIR, canonical  # noqa: E402

#: Folder name: (package, releases oldest first, longest text kept in characters or None). A package
#: named "npm:NAME" comes from the npm registry.
DOCUMENTS = {
    "pypinyin-zh": ("pypinyin", ["0.20.0", "0.30.0", "0.36.0", "0.40.0", "0.44.0", "0.47.1", "0.50.0", "0.53.0"], None),
    "jpholiday-ja": ("jpholiday", ["0.0.5", "0.0.7", "0.1.1", "0.1.4", "0.1.8", "0.1.10", "1.0.1", "1.0.3"], None),
    "tltk-th": ("tltk", ["1.7", "1.8", "1.9.1", "1.10", "1.11"], 20000),
    "soynlp-ko": ("soynlp", ["0.0.48", "0.0.491", "0.0.493"], None),
    "hazm-fa": ("hazm", ["0.7.0", "0.10.0"], None),
    "pyarabic-ar": ("pyarabic", ["0.6.2", "0.6.4", "0.6.13"], None),
    "rich-en": ("rich", ["1.0.0", "3.0.0", "5.0.0", "8.0.0", "10.0.0", "12.0.0", "13.0.0", "13.5.0", "14.0.0"], 20000),
    "pykrx-ko": ("pykrx", ["1.0.15", "1.0.20", "1.0.25", "1.0.30", "1.0.35", "1.0.40", "1.0.45", "1.2.3", "1.2.9"], 20000),
    "finance-datareader-ko": ("finance-datareader", ["0.9.110", "0.9.200", "0.9.201", "0.9.202"], None),
    "natasha-ru": ("natasha", ["1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.6.0"], None),
    "lvovich-ru": ("npm:lvovich", ["1.0.15", "1.0.16", "2.0.0", "2.0.1", "2.0.2", "2.1.0"], None),
    "pinyin-pro-zh": ("npm:pinyin-pro", ["3.1.0", "3.4.0", "3.7.0", "3.10.0", "3.13.0", "3.16.0", "3.19.0", "3.22.0",
                                         "3.25.0", "3.29.4"], None),
    "jaco-ja": ("npm:jaco", ["2.1.0", "3.0.0", "4.0.0"], None),
    "moji-ja": ("npm:moji", ["0.3.1", "0.5.1"], None),
    "qalsadi-ar": ("qalsadi", ["0.4", "0.4.2", "0.4.4", "0.4.6", "0.5", "0.5.1"], None),
    "tashaphyne-ar": ("tashaphyne", ["0.3.1", "0.3.2", "0.3.3.2", "0.3.4", "0.3.4.1", "0.3.6"], None),
    "httpx-en": ("httpx", ["0.10.0", "0.13.0", "0.16.0", "0.18.0", "0.20.0", "0.23.0", "0.25.0", "0.28.1"], 20000),
}

#: Folder name: (package, file inside each release's archive, releases oldest first, longest text
#: kept). A package named "npm:NAME" comes from the npm registry, any other from PyPI (its source
#: distribution).
FILE_DOCUMENTS = {
    "commonmark-spec-en": ("npm:commonmark-spec", "spec.txt",
                           ["0.28.0", "0.29.0", "0.30.0", "0.31.0", "0.31.2"], 20000),
    "npm-package-json-en": ("npm:npm", "docs/content/configuring-npm/package-json.md",
                            ["7.0.0", "7.20.0", "8.5.0", "8.19.4", "9.6.0", "9.9.4", "10.5.0", "10.9.2", "11.3.0"],
                            20000),
    "black-style-en": ("black", "docs/the_black_code_style/current_style.md",
                       ["21.5b0", "22.1.0", "22.8.0", "23.1.0", "23.10.0", "24.1.0", "24.8.0", "25.1.0"], 20000),
    "django-security-en": ("Django", "docs/internals/security.txt",
                           ["1.11", "2.0", "2.2", "3.0", "3.2", "4.0", "4.2", "5.0", "5.1"], 20000),
    "postcss-plugins-en": ("npm:postcss", "docs/guidelines/plugin.md",
                           ["5.0.0", "5.2.0", "6.0.0", "6.0.10", "6.0.23", "7.0.0", "7.0.36"], None),
    "vconsole-zh": ("npm:vconsole", "README_CN.md", ["3.0.0", "3.2.0", "3.3.0", "3.4.0", "3.5.0", "3.7.0", "3.9.0",
                                                      "3.11.0", "3.13.0", "3.15.1"], None),
    "encoding-japanese-ja": ("npm:encoding-japanese", "README_ja.md",
                             ["1.0.19", "1.0.24", "1.0.25", "1.0.26", "1.0.28", "1.0.29", "1.0.30"], None),
    "jaconv-ja": ("jaconv", "README_JP.rst", ["0.2.0", "0.2.1", "0.2.2", "0.2.3", "0.2.4", "0.3", "0.3.1", "0.3.4",
                                              "0.4.0", "0.5.0"], None),
    "flicking-ko": ("npm:@egjs/flicking", "README_KR.md", ["3.3.2", "3.4.0", "3.7.2", "3.9.3"], None),
}


def description(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return metadata_description(archive.read(name))


def metadata_description(raw: bytes) -> str:
    """The long description in a METADATA or PKG-INFO file: its body, or (older metadata) its
    Description field, continuation lines unindented."""
    message = email.message_from_bytes(raw)
    body = message.get_payload(decode=True)
    text = body.decode("utf-8", "replace") if body else ""
    field = message.get("Description", "UNKNOWN")
    if not text.strip() and field.strip() != "UNKNOWN":
        if isinstance(field, email.header.Header):
            field = str(field)
        lines = field.splitlines()
        text = "\n".join([lines[0]] + [line[8:] if line.startswith(" " * 8) else line.lstrip("|") for line in lines[1:]])
    return "" if text.strip() == "UNKNOWN" else text


def sdist_description(sdist: Path) -> str:
    """The long description of a source distribution: PKG-INFO's body (or its Description field),
    else the README file at the top of the archive."""
    if sdist.suffix == ".zip":
        with zipfile.ZipFile(sdist) as archive:
            files = {n: archive.read(n) for n in archive.namelist() if n.count("/") == 1}
    else:
        with tarfile.open(sdist) as archive:
            files = {m.name: archive.extractfile(m).read() for m in archive.getmembers()
                     if m.isfile() and m.name.count("/") == 1}
    info = next((v for n, v in files.items() if n.endswith("/PKG-INFO")), None)
    if info:
        text = metadata_description(info)
        if text.strip():
            return text
    return readme_of(files)


def readme_of(files: dict[str, bytes]) -> str:
    for name in sorted(files, key=lambda n: (not n.lower().rsplit("/", 1)[-1].startswith("readme"), len(n))):
        if name.lower().rsplit("/", 1)[-1].startswith("readme"):
            return files[name].decode("utf-8", "replace")
    return ""


def npm_readme(tarball: Path) -> str:
    with tarfile.open(tarball) as archive:
        files = {m.name: archive.extractfile(m).read() for m in archive.getmembers()
                 if m.isfile() and m.name.count("/") == 1}
    return readme_of(files)


def first_chars(text: str, limit: int | None) -> str:
    """The leading paragraphs of ``text`` that fit in ``limit`` characters."""
    if limit is None or len(text) <= limit:
        return text
    cut = text.rfind("\n\n", 0, limit)
    return text[:cut if cut > 0 else limit]


def fetch(package: str, version: str, folder: Path, cache: Path | None = None) -> Path:
    """The release's wheel: from ``cache`` (a folder of wheels already downloaded) or from PyPI, for
    this machine or else for CPython 3.10 on manylinux2014 (the README is the same in every wheel)."""
    for found in (cache.glob(f"*-{version}-*.whl") if cache else ()):
        if found.name.lower().startswith(package.lower().replace("-", "_")):
            return found
    for platform in ([], ["--python-version", "3.10", "--platform", "manylinux2014_x86_64", "--implementation", "cp"]):
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
                        *platform, "-d", str(folder), f"{package}=={version}"], check=False,
                       stderr=subprocess.DEVNULL)
        found = next((p for p in folder.glob("*.whl") if f"-{version}-" in p.name), None)
        if found is not None:
            return found
    raise FileNotFoundError(f"no wheel of {package} {version}")


def readme(package: str, version: str, folder: Path, cache: Path | None = None) -> str:
    """The README of one release: npm tarball, PyPI wheel, or PyPI source distribution."""
    if package.startswith("npm:"):
        name = package[4:]
        subprocess.run(["npm", "pack", "--silent", "--pack-destination", str(folder), f"{name}@{version}"],
                       check=True, stdout=subprocess.DEVNULL)
        return npm_readme(next(folder.glob("*.tgz")))
    try:
        text = description(fetch(package, version, folder, cache))
        if text.strip():
            return text
    except FileNotFoundError:
        pass
    # No wheel for this release (or none for this platform): its source distribution, unbuilt.
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                    "--no-build-isolation", "-d", str(folder), f"{package}=={version}"], check=False,
                   stderr=subprocess.DEVNULL)
    sdist = next((p for p in folder.iterdir() if p.name.endswith((".tar.gz", ".zip", ".tar.bz2"))), None)
    if sdist is None:
        raise SystemExit(f"{package} {version}: no wheel or source distribution could be downloaded")
    return sdist_description(sdist)


def archive_file(package: str, version: str, path: str, folder: Path) -> str:
    """One file of a release: from its npm tarball, or from its PyPI source distribution."""
    if package.startswith("npm:"):
        subprocess.run(["npm", "pack", "--silent", "--pack-destination", str(folder), f"{package[4:]}@{version}"],
                       check=True, stdout=subprocess.DEVNULL)
        archive = next(folder.glob("*.tgz"))
    else:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        "-d", str(folder), f"{package}=={version}"], check=False, stderr=subprocess.DEVNULL)
        archive = next((p for p in folder.iterdir() if p.name.endswith((".tar.gz", ".zip"))), None)
        if archive is None:
            raise SystemExit(f"{package} {version}: no source distribution could be downloaded")
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as opened:
            name = next((n for n in opened.namelist() if n.split("/", 1)[-1] == path), None)
            return opened.read(name).decode("utf-8", "replace") if name else ""
    with tarfile.open(archive) as opened:
        member = next((m for m in opened.getmembers() if m.isfile() and m.name.split("/", 1)[-1] == path), None)
        return opened.extractfile(member).read().decode("utf-8", "replace") if member else ""  # not in this release


def write_revisions(name: str, versions: list[str], text_of, limit: int | None) -> None:
    """One canonical file a release, named so that they sort oldest first; unchanged ones skipped."""
    target = REAL_EDITS_DIR / name
    target.mkdir(parents=True, exist_ok=True)
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for number, version in enumerate(versions, 1):
            folder = Path(tmp) / version
            folder.mkdir()
            text = first_chars(canonical(text_of(version, folder)), limit)
            if text != previous and text.strip():
                (target / f"{number:02}-{version}.txt").write_text(text + "\n", encoding="utf-8")
            previous = text
    print(f"{name}: {len(list(target.glob('*.txt')))} revisions")


def main() -> None:
    cache = Path(sys.argv[1]) if len(sys.argv) > 1 and Path(sys.argv[1]).is_dir() else None
    wanted = [a for a in sys.argv[1:] if a in DOCUMENTS or a in FILE_DOCUMENTS]
    for name, (package, versions, limit) in DOCUMENTS.items():
        if not wanted or name in wanted:
            write_revisions(name, versions, lambda v, folder, p=package: readme(p, v, folder, cache), limit)
    for name, (package, path, versions, limit) in FILE_DOCUMENTS.items():
        if not wanted or name in wanted:
            write_revisions(name, versions, lambda v, folder, p=package, f=path: archive_file(p, v, f, folder), limit)


if __name__ == "__main__":
    main()
