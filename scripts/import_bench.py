"""Print how well the HTML import keeps each page's article, beside trafilatura and readability-lxml.

Over tests/corpus/pages, then over real news pages fetched from PyPI (see real_pages), scored as
tests/corpus/page_bench.py says: bag-of-words precision, recall and F1; a sentence is lost when
its letters are missing from the output.
readability-lxml is not a dependency of the app: `make bench` installs it into .venv; without
it that column is skipped with a note.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus.page_bench import EXTRACTORS, cases, score  # noqa: E402


def available() -> dict:
    names = dict(EXTRACTORS)
    try:
        import readability  # noqa: F401
    except ImportError:
        print("readability-lxml is not installed: its column is skipped (pip install readability-lxml).\n")
        names.pop("readability")
    return names


def main() -> None:
    extractors = available()
    own = cases()
    score_corpus("our corpus of invented pages (tests/corpus/pages)", own, extractors)
    real = real_pages()
    if real:
        score_corpus(f"real news pages: newspaper4k {NEWSPAPER_VERSION}'s test pages with their expected text", real,
                     extractors, show_lost=False)
    print("\nPaste: each page's whole text copied (every visible block, a line each) and pasted as plain text")
    print(f"{'corpus':10} {'F1':>6} {'junk lines/article':>19} {'lost sentences/article':>23}")
    for name, corpus in (("invented", own), ("real", real)):
        if corpus:
            print_paste(name, corpus)
    print_big_pages(own[0][1], own[0][2])


def print_paste(name: str, corpus) -> None:
    """Junk lines are kept body lines whose letters are not in the article's text."""
    from tests.corpus.page_bench import _letters
    from workbench.text.paste_cleaning import clean_text
    from workbench.text.extraction import html_blocks

    f1s, junk, lost = [], 0, 0
    for _case, page, expected in corpus:
        result = clean_text("\n".join(b.text for b in html_blocks(page)))
        article = _letters(" ".join(expected))
        junk += sum(1 for b in result.blocks if b.role == "body" and _letters(b.text) and _letters(b.text) not in article)
        scored = score("\n".join(b.text for b in result.blocks if b.kept), expected)
        f1s.append(scored.f1)
        lost += len(scored.lost)
    print(f"{name:10} {statistics.mean(f1s):6.3f} {junk / len(corpus):19.2f} {lost / len(corpus):23.2f}")


# Real pages with the text a person checked: newspaper4k ships them in its source distribution
# (tests/data/html and tests/data/txt), in English, Spanish, Arabic, Chinese, Japanese, Korean, Thai,
# Latvian and more. They are fetched from PyPI into instance/ (never into the repository).
NEWSPAPER_VERSION = "0.9.6"
CACHE = Path(__file__).resolve().parent.parent / "instance" / "bench-cache"


def real_pages() -> list[tuple[str, str, list[str]]]:
    import subprocess
    import tarfile

    from workbench.services.ingest import decode_html

    archive = CACHE / f"newspaper4k-{NEWSPAPER_VERSION}.tar.gz"
    if not archive.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        fetched = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                                  f"newspaper4k=={NEWSPAPER_VERSION}", "-d", str(CACHE)], capture_output=True, text=True)
        if fetched.returncode or not archive.exists():
            print(f"\nReal pages skipped: newspaper4k {NEWSPAPER_VERSION} could not be fetched from PyPI.")
            return []
    found = []
    with tarfile.open(archive) as tar:
        members = {Path(m.name).relative_to(f"newspaper4k-{NEWSPAPER_VERSION}").as_posix(): m for m in tar.getmembers()}
        for name, member in sorted(members.items()):
            if not (name.startswith("tests/data/txt/") and name.endswith(".txt")):
                continue
            stem = Path(name).stem
            page = members.get(f"tests/data/html/{stem}.html")
            if page is None:
                continue
            expected = tar.extractfile(member).read().decode("utf-8").splitlines()
            found.append((stem, decode_html(tar.extractfile(page).read(), None), [p for p in expected if p.strip()]))
    return found


def score_corpus(title: str, corpus, extractors, *, show_lost: bool = True) -> None:
    scores = {name: [] for name in extractors}
    seconds = {name: 0.0 for name in extractors}
    print(f"\n{title}")
    header = f"{'case':30}" + "".join(f" {name[:11]:>11} F1/lost" for name in extractors)
    print(header)
    for case_name, page, expected in corpus:
        row = f"{case_name[:30]:30}"
        for name, extract in extractors.items():
            start = time.perf_counter()
            try:
                output = extract(page)
            except Exception as error:  # a refused import counts as keeping nothing
                output = None
                print(f"  {name} on {case_name}: {type(error).__name__}: {error}", file=sys.stderr)
            seconds[name] += time.perf_counter() - start
            result = score(output, expected)
            scores[name].append(result)
            mark = "REFUSED" if result.refused else f"{result.f1:.3f}/{len(result.lost):<2}"
            row += f" {mark:>19}"
        print(row)
    print(f"\n{len(corpus)} pages. Bag-of-words scores, averaged over pages:")
    print(f"{'extractor':12} {'precision':>9} {'recall':>7} {'F1':>6} {'lost sent.':>10} {'per page':>8} {'refused':>7} {'ms/page':>7}")
    for name, results in scores.items():
        lost = sum(len(r.lost) for r in results)
        print(f"{name:12} {statistics.mean(r.precision for r in results):9.3f} "
              f"{statistics.mean(r.recall for r in results):7.3f} {statistics.mean(r.f1 for r in results):6.3f} "
              f"{lost:10} {lost / len(results):8.2f} {sum(r.refused for r in results):7} "
              f"{1000 * seconds[name] / len(results):7.1f}")
    for name, results in scores.items():
        if not show_lost:
            break
        for (case_name, _page, _expected), r in zip(corpus, results):
            for sentence in r.lost:
                print(f"  lost by {name:11} {case_name}: {sentence[:70]!r}")


def big_pages(page: str, expected: list[str]) -> dict[str, bytes]:
    """Two 5 MB pages made from one of the corpus: markup-heavy (a script's JSON and a long list of
    related links around the article, as large real pages are) and text-heavy (a live event's
    transcript: the article's own paragraphs written out again and again, each numbered)."""
    import html
    import json
    import re

    blob = json.dumps([{"id": i, "title": f"Story {i}", "url": f"/news/{i}", "body": "x" * 400} for i in range(9000)])
    related = "".join(f'<li><a href="/news/{i}">Related story number {i} on the harbour</a></li>' for i in range(6000))
    markup = page.replace("</body>", f'<script type="application/json">{blob}</script><aside><ul>{related}</ul>'
                                     "</aside></body>")
    article = [p for p in re.findall(r"<p>[^<]*</p>", page) if html.unescape(p[3:-4]) in expected]
    copies, size = [], 0
    while size < 5_000_000:
        paragraph = article[len(copies) % len(article)]
        copies.append(paragraph.replace("<p>", f"<p>{len(copies) // len(article) + 1}:{len(copies) % len(article) + 1}. ", 1))
        size += len(copies[-1])
    text = page.replace(article[0], "\n".join(copies), 1)
    return {"markup-heavy": markup.encode(), "text-heavy": text.encode()}


def print_big_pages(page: str, expected: list[str], runs: int = 3) -> None:
    """Each page imported ``runs`` times from scratch (every memo emptied first): the median, and
    whether every paragraph of its article was kept and none of the rest.

    The two pages made from the corpus's first page, then the shapes of tests/corpus/big_pages.py:
    one very long article, a live blog, a short article under a huge comment section, and a page
    of markup (a script's state, cards of related links) around a short article."""
    from tests.corpus.big_pages import SHAPES, big_page
    from workbench.memo import forget_everything
    from workbench.services.ingest import clean_input
    from workbench.text.cleaning import normalize_block

    print(f"\nImport of a 5 MB page, median of {runs} (target: < 2 s of CPU time, this process's own, "
          "whatever else runs):")
    pages = {kind: (data, None) for kind, data in big_pages(page, expected).items()}
    pages.update({shape: (made.html.encode(), made) for shape, made in ((s, big_page(s)) for s in SHAPES)})
    for kind, (data, made) in pages.items():
        walls, cpus = [], []
        for _ in range(runs):
            forget_everything()
            started, cpu = time.perf_counter(), time.process_time()
            result = clean_input(data, "text/html")
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        check = ""
        if made is not None:
            kept = {b.text for b in result.blocks if b.kept}
            lost = sum(normalize_block(p) not in kept for p in made.article)
            leaked = sum(normalize_block(o) in kept for o in made.other)
            check = f"; article paragraphs lost {lost} of {len(made.article):,}, other text kept {leaked}"
        print(f"  {kind:13} {len(data) / 1e6:.1f} MB  CPU {statistics.median(cpus):5.2f} s  "
              f"(wall {statistics.median(walls):5.2f} s; CPU runs {', '.join(f'{c:.2f}' for c in cpus)} s; "
              f"{sum(b.kept for b in result.blocks):,} of {len(result.blocks):,} blocks kept{check})")


if __name__ == "__main__":
    main()
