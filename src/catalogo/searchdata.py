"""Words the search page needs besides Pagefind's index.

- The words with «ñ»: Pagefind folds «ñ» into «n» when it indexes, so static/buscar.js
  checks a query such as «nino» against them («niño» is meant, «nino» is not a word of the
  catalog) and shows the results for «niño» with a line saying so.
- The catalog's words, most frequent first (`buscar/palabras.json`): when a query finds
  nothing, the page offers the catalog words closest to what was typed. It is a separate
  file, fetched only then.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

from catalogo.catalog import Catalog, VocabularyEntry
from catalogo.markup import plain_text
from catalogo.models import Record

ENIE_WORD = re.compile(r"\w*ñ\w*")
WORD = re.compile(r"[^\W\d_]+")
MIN_WORD_LETTERS = 4  # shorter words are articles and prepositions, or too short to correct
MAX_WORDS = 6000  # about 60 KB, 20 KB compressed, even for a very large catalog
WORDS_FILE = "buscar/palabras.json"


def enie_words(
    catalog: Catalog, words_of: Callable[[Record], frozenset[str]] | None = None
) -> list[str]:
    """Every word with «ñ» that the search index can hold. `words_of` gives a record's
    (serve keeps them while the record is unchanged)."""
    words: set[str] = set()
    for record in catalog.records:
        words.update((words_of or record_enie_words)(record))
    return sorted(words | catalog_enie_words(catalog))


def record_enie_words(record: Record) -> frozenset[str]:
    return words_with_enie([record.titulo, record.descripcion or ""])


def catalog_enie_words(catalog: Catalog) -> set[str]:
    """The words with «ñ» of the catalog's own texts, series and vocabularies."""
    vocab = catalog.vocabularies
    info = catalog.info
    texts = [info.titulo, info.subtitulo or "", info.introduccion]
    texts += [" ".join(group) for group in info.sinonimos]
    for series in catalog.series.values():
        texts += [series.titulo, series.descripcion or ""]
    entries: list[VocabularyEntry] = [
        *vocab.tipos.values(),
        *vocab.publicos.values(),
        *vocab.instituciones.values(),
        *vocab.idiomas.values(),
    ]
    for entry in entries:
        texts += [entry.nombre, entry.plural or ""]
    return set(words_with_enie(texts))


def words_with_enie(texts: Iterable[str]) -> frozenset[str]:
    words: set[str] = set()
    for text in texts:
        if "ñ" in text or "Ñ" in text or "n\u0303" in text or "N\u0303" in text:
            words.update(ENIE_WORD.findall(unicodedata.normalize("NFC", text).lower()))
    return frozenset(words)


def catalog_words(catalog: Catalog) -> list[str]:
    """The words a record page offers to the search index (title, description, series
    text), lowercase, most frequent first: the candidates for «did you mean»."""
    counts: Counter[str] = Counter()
    series_texts = {
        key: f"{series.titulo} {plain_text(series.descripcion or '')}"
        for key, series in catalog.series.items()
    }
    for record in catalog.records:
        text = f"{record.titulo} {plain_text(record.descripcion or '')}"
        if record.serie in series_texts:
            text += " " + series_texts[record.serie]
        counts.update(words_of(text))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:MAX_WORDS]]


def words_of(text: str) -> list[str]:
    lowered = unicodedata.normalize("NFC", text).lower()
    return [word for word in WORD.findall(lowered) if len(word) >= MIN_WORD_LETTERS]


def render_words(catalog: Catalog) -> bytes:
    return json.dumps(catalog_words(catalog), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )
