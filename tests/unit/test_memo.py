"""workbench.memo: bounded by the size of what it keeps, least recently used out first."""

from workbench.memo import Memo


def test_keeps_results_and_makes_each_once():
    memo, made = Memo(max_chars=100), []

    def make(text):
        made.append(text)
        return text

    assert memo.get(("a",), lambda: make("alpha")) == "alpha"
    assert memo.get(("a",), lambda: make("other")) == "alpha"
    assert made == ["alpha"]


def test_least_recently_used_go_first_once_over_the_bound():
    memo = Memo(max_chars=10)
    memo.store("a", "aaaa")
    memo.store("b", "bbbb")
    assert memo.lookup("a") == "aaaa"  # now "b" is the least recently used
    memo.store("c", "cccc")
    assert (memo.lookup("a"), memo.lookup("b"), memo.lookup("c")) == ("aaaa", None, "cccc")
    assert len(memo) == 2


def test_a_result_larger_than_the_bound_is_returned_but_not_kept():
    memo = Memo(max_chars=3)
    assert memo.get("k", lambda: "too long") == "too long"
    assert memo.lookup("k") is None and len(memo) == 0


def test_forget_everything_empties_every_memo():
    from workbench.memo import forget_everything

    first, second = Memo(max_chars=10), Memo(max_chars=10)
    first.store("a", "x")
    second.store("b", "y")
    forget_everything()
    assert (first.lookup("a"), second.lookup("b"), len(first), len(second)) == (None, None, 0, 0)


def test_a_count_bound_keeps_that_many_whatever_their_size():
    memo = Memo(max_entries=2)
    memo.store("a", object())
    memo.store("b", "b" * 10_000)
    memo.store("c", 3)
    assert memo.lookup("a") is None and memo.lookup("b") is not None and memo.lookup("c") == 3
    assert len(memo) == 2


def test_storing_again_replaces_what_was_kept_and_its_size():
    memo = Memo(max_chars=10, max_entries=5)
    memo.store("a", "aaaaaaaa")
    memo.store("a", "a")
    memo.store("b", "bbbbbbbbb")
    assert (memo.lookup("a"), memo.lookup("b")) == ("a", "bbbbbbbbb")


def test_a_memo_needs_a_bound():
    import pytest

    with pytest.raises(ValueError):
        Memo()



def test_a_memoized_function_runs_once_per_arguments_even_when_it_returns_none():
    from workbench.memo import forget_everything, memoized

    calls = []

    @memoized(max_entries=2)
    def lookup(name):
        calls.append(name)
        return None if name == "nobody" else name.upper()

    assert [lookup("nobody"), lookup("nobody"), lookup("ann"), lookup("ann")] == [None, None, "ANN", "ANN"]
    assert calls == ["nobody", "ann"]
    lookup("bob")  # a third name: the least recently used one goes
    lookup("nobody")
    assert calls == ["nobody", "ann", "bob", "nobody"]
    forget_everything()
    lookup("bob")
    assert calls[-1] == "bob" and len(lookup.memo) == 1
