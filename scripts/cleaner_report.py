"""Print the cleaner's precision, recall, junk lines kept and sentences lost over tests/corpus/cleaning, case by case."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus import per_article, run_corpus, totals  # noqa: E402


def main() -> None:
    results = run_corpus()
    print(f"{'case':28} {'precision':>9} {'recall':>7} {'junk':>4} {'lost':>4}  title  date   leaked junk / lost text")
    for r in results:
        title_ok = "ok" if r.meta.get("title") == r.expected.get("title") else "MISS"
        want_date = r.expected.get("published")
        date_ok = "-" if not want_date else ("ok" if r.meta.get("published") == want_date else "MISS")
        notes = [f"leaked {s!r}" for s in r.leaked] + [f"lost {p[:40]!r}" for p in r.lost] + \
                [f"extra {p[:40]!r}" for p in r.extra]
        print(f"{r.name:28} {r.precision:9.3f} {r.recall:7.3f} {r.junk_lines:4} {len(r.lost_sentences):4}  {title_ok:5}  {date_ok:5}  {'; '.join(notes)}")
    precision, recall = totals(results)
    junk, lost = per_article(results)
    print(f"\n{len(results)} cases, word-weighted: precision {precision:.3f}, recall {recall:.3f}")
    print(f"per article: {junk:.2f} junk lines kept, {lost:.2f} sentences lost")
    for kind in ("text", "md", "html"):
        subset = [r for r in results if r.name.split("-")[2] == kind]
        if subset:
            junk, lost = per_article(subset)
            print(f"  {kind:5} ({len(subset):2} cases): {junk:.2f} junk lines kept, {lost:.2f} sentences lost per article")


if __name__ == "__main__":
    main()
