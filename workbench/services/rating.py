"""The rating scale: verdict keys, their labels, and ordinals for ClaimReview (5 best)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from workbench.config import DEFAULT_RATING_SCALE
from workbench.memo import memoized


@dataclass(frozen=True)
class Verdict:
    key: str
    label: str
    #: 1 (worst) to 5 (best) for ClaimReview's ratingValue; None where the verdict has no place on that line.
    ordinal: int | None


def rating_scale(config: dict | None = None) -> list[Verdict]:
    """The configured scale (``RATING_SCALE``: ``[(key, label, ordinal-or-None), ...]``)."""
    return list(_scale(config)[0])


def verdict_for(key: str | None, config: dict | None = None) -> Verdict | None:
    if not key:
        return None
    return _scale(config)[1].get(key)


def _scale(config: dict | None) -> tuple[tuple[Verdict, ...], dict[str, Verdict]]:
    raw = (config if config is not None else current_app.config).get("RATING_SCALE", DEFAULT_RATING_SCALE)
    return _parsed(tuple(tuple(item) for item in raw))


@memoized(max_entries=16)
def _parsed(raw: tuple) -> tuple[tuple[Verdict, ...], dict[str, Verdict]]:
    """The scale's verdicts, and the same by key (a page looks one up for each of its claims)."""
    verdicts = tuple(Verdict(key=str(k), label=str(label), ordinal=ordinal) for k, label, ordinal in raw)
    by_key: dict[str, Verdict] = {}
    for verdict in verdicts:
        by_key.setdefault(verdict.key, verdict)
    return verdicts, by_key


def css_class(key: str | None, config: dict | None = None) -> str:
    """Classes naming the verdict's colour: by ordinal, so a replaced scale still gets sensible colours,
    plus the key itself for the verdicts without an ordinal (misleading and unproven differ)."""
    return verdict_css(verdict_for(key, config))


def verdict_css(verdict: Verdict | None) -> str:
    """``css_class`` of a verdict in hand (None: no verdict)."""
    if verdict is None:
        return "v-none"
    if verdict.ordinal is None:
        return f"v-other v-key-{verdict.key}"
    return f"v-o{verdict.ordinal}"
