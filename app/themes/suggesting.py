"""Theme suggestions for a text nobody has coded yet, by likeness to what was coded before.

Each theme becomes one document: the excerpts coded to it, joined. The uncoded text is compared
with every such document by TF-IDF cosine similarity (scikit-learn, run locally: no model and
no network). Words shared with only a few themes count most, so a passage about "homework"
finds the theme whose excerpts talk about homework, in whatever language they were written.
"""

import re
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.themes.coding import Source, excerpts_of
from app.themes.models import DismissedSuggestion, Excerpt, Theme, excerpt_themes

#: How many themes are proposed at most.
MAX_SUGGESTIONS = 3
#: The least similarity worth proposing. Notes that talk about what a theme's excerpts talk
#: about score about 0.2 to 0.4; a passing mention of one word of a theme ("library") about
#: 0.05 to 0.12 (tests/themes/test_suggestions.py shows both on a small corpus).
MIN_SIMILARITY = 0.15
#: Below this share of English function words a text is not treated as English, so words of
#: other languages that look like them ("no", "de", "con", "me"…) are kept. English sentences
#: run at 0.4 to 0.6; Spanish ones, which share a few such words, at 0.1 to 0.3.
ENGLISH_SHARE = 0.35


@dataclass(frozen=True)
class Suggestion:
    theme: Theme
    similarity: float


def _looks_english(text: str) -> bool:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = re.findall(r"\w+", text.lower())
    if not words:
        return False
    return sum(word in ENGLISH_STOP_WORDS for word in words) / len(words) >= ENGLISH_SHARE


def theme_documents(*, leave_out: set[int]) -> dict[int, str]:
    """Return each theme's excerpts joined into one text, leaving out the given theme ids."""
    rows = db.session.execute(
        sa.select(excerpt_themes.c.theme_id, Excerpt.text)
        .join(Excerpt, Excerpt.id == excerpt_themes.c.excerpt_id)
        .where(excerpt_themes.c.theme_id.not_in(leave_out) if leave_out else sa.true())
        .order_by(excerpt_themes.c.theme_id, Excerpt.id))
    documents: dict[int, list[str]] = {}
    for theme_id, text in rows:
        documents.setdefault(theme_id, []).append(text)
    return {theme_id: "\n".join(texts) for theme_id, texts in documents.items()}


def rank_documents(text: str, documents: dict[int, str]) -> list[tuple[int, float]]:
    """Return (key, similarity) for every document, most similar first."""
    if not documents or not re.search(r"\w", text):
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    keys = list(documents)
    vectorizer = TfidfVectorizer(sublinear_tf=True,
                                 stop_words="english" if _looks_english(text) else None)
    try:
        matrix = vectorizer.fit_transform([documents[key] for key in keys] + [text])
    except ValueError:  # nothing left but stop words: nothing to compare
        return []
    # Rows are L2-normalised, so the dot product is the cosine similarity.
    scores = linear_kernel(matrix[-1], matrix[:-1]).ravel()
    return sorted(zip(keys, scores.tolist(), strict=True), key=lambda pair: -pair[1])


def suggest_themes(source: Source) -> list[Suggestion]:
    """Return up to three themes likely to fit the source's text, best first.

    Themes already on this text, and themes staff ignored for it, are never proposed.
    """
    taken = {theme.id for excerpt in excerpts_of(source) for theme in excerpt.themes}
    taken |= set(db.session.scalars(sa.select(DismissedSuggestion.theme_id)
                                    .where(DismissedSuggestion.source_ref == source.ref)))
    ranked = [(theme_id, score)
              for theme_id, score in rank_documents(source.text,
                                                    theme_documents(leave_out=taken))
              if score >= MIN_SIMILARITY][:MAX_SUGGESTIONS]
    return [Suggestion(db.session.get(Theme, theme_id), round(score, 2))
            for theme_id, score in ranked]


def dismiss_suggestion(source: Source, theme: Theme, *, by_id: int) -> None:
    """Stop proposing `theme` for this text. The caller commits."""
    if db.session.get(DismissedSuggestion, (source.ref, theme.id)) is None:
        db.session.add(DismissedSuggestion(source_ref=source.ref, theme_id=theme.id,
                                           dismissed_by_id=by_id))
        db.session.flush()
