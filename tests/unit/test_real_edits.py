"""Re-anchoring over the real-edit corpus (tests/corpus/real_edits.py; `make bench` prints the table).

Safety first: no claim is ever attached to other words, and claims whose words are gone are
orphaned. Then the recall this code reaches, stated so that it cannot slip back unnoticed (the
issue's targets, ≥ 90 % of edited claims placed and ≤ 0.3 % needless orphans, are not reached yet).
"""

from tests.corpus.real_edits import HELD_OUT, documents, evaluate

#: Edited claims placed on their words, and intact claims orphaned anyway, as measured (seed 1) on
#: the whole corpus, rounded a little towards slack: 68.4 % and 1.37 % of 4,080 claims. The corpus
#: grew by ten documents, added unseen and harder (65.5 % placed blind), and nine mis-anchors they
#: showed were closed at some cost in recall: on the first nine documents alone the figures went
#: from 74.9 % and 1.0 % to 72.4 % and 1.1 %. More evidence for edited claims (their survivors
#: alone, the paragraph that received most of them, marks beside them, one intact side for words
#: said once in their paragraph, both sides for an edited address) and for short quotes (a whole
#: word beside them, a repeated paragraph between aligned neighbours) took the whole corpus to
#: 73.2 % and 1.26 %. A claim's paragraph aligned again on its own with its new one, for claims
#: the whole-text diff could not follow, took it to 76.6 % and 1.15 %. With the third held-out
#: set (long-lived prose) and a short quote placed by the words around it when the marks between
#: changed: 77.2 % and 0.48 % of 6,660 claims.
EDITED_PLACED = 0.76
NEEDLESS_ORPHANS = 0.006
#: Placements the oracle counts as mis-anchored: in jaconv-ja (third held-out set), code lines
#: alike but for their arguments ("jaconv.h2z(u'abc', ascii=True) # => u'ａｂｃ'"), which the whole-text
#: alignment pairs with another line than the one keeping the quote's letters (examined: the rules'
#: placements keep the quote's own letters); in npm-package-json-en, one not examined (the set's
#: second half stays unseen); in qalsadi-ar, three claims on two rst headings whose underlines
#: were restyled ("Example" under "Usage", a list item added below it; "Installation" after
#: "Applications"), which the oracle counts as gone or pairs with an underline at the top of the
#: text (examined: the same heading in the same place). A ceiling, so that none is added; every
#: other document has none.
ORACLE_DISAGREES = {"jaconv-ja": 6, "npm-package-json-en": 1, "qalsadi-ar": 3}


def test_corpus_covers_several_scripts_and_real_histories():
    names = [name for name, _revisions in documents()]
    for script in ("-zh", "-ja", "-ko", "-th", "-ar", "-fa", "-ru", "-en"):
        assert any(name.endswith(script) for name in names), script
    assert sum(len(revisions) - 1 for _name, revisions in documents()) >= 30
    assert HELD_OUT <= set(names)


def test_no_claim_is_attached_to_other_words_and_gone_words_orphan():
    scores = evaluate(seed=1)
    for score in scores.values():
        allowed = ORACLE_DISAGREES.get(score.name, 0)
        assert score.misanchored <= allowed, [e for e in score.examples if e.startswith("MIS")]
        assert score.gone - score.gone_orphaned <= allowed
        # Every edited claim that was placed says so: never passed off as unchanged words.
        assert score.edited_flagged == score.edited_placed
    claims = sum(s.claims for s in scores.values())
    edited = sum(s.edited for s in scores.values())
    intact = sum(s.intact for s in scores.values())
    assert claims >= 4000 and edited >= 450
    assert sum(s.edited_placed for s in scores.values()) / edited >= EDITED_PLACED
    assert sum(s.needless_orphans for s in scores.values()) / intact <= NEEDLESS_ORPHANS
