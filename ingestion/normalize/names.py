"""The normalised form of a person's or an organisation's name, for identity and matching across lists.

:func:`name_key` (a polars expression) and :func:`key_of_name` (one Python string) give the
same key, step by step:

1. Unicode compatibility decomposition (NFKD): ``ﬁ`` → ``fi``, ``é`` → ``e`` + a combining accent;
2. case folding: lower case (Unicode's full mapping), then ``ß`` → ``ss`` and the final sigma
   ``ς`` → ``σ``, so that ``STRASSE``/``Straße`` and ``ΟΔΟΣ``/``οδος`` give one key;
3. punctuation and symbols (Unicode categories P* and S*: ``, . - ' " ( ) / « » | +`` ...) and
   every whitespace character become a space;
4. marks (M*: the accents split off in step 1) and control or format characters (Cc, Cf: a
   soft hyphen, a zero-width joiner) are removed;
5. runs of spaces become one space, and the ends are trimmed.

So ``"MENYAILO, Sergey Ivanovich"`` and ``"Menyailo Sergey  Ivanovich"`` both give
``menyailo sergey ivanovich``, ``"Rimsky-Korsakov"`` gives ``rimsky korsakov`` and
``"O'Brien"`` gives ``o brien``. Word order is kept: lists that write a person's given name
first (the UN) and those that write the family name first (OFAC, Canada) give different keys
for the same person. An empty key (a name of punctuation only) is null. The key never holds
``|``, the separator of identities built from it.
"""

from __future__ import annotations

import unicodedata

import polars as pl

#: characters that become a space (step 3), as a regex class; ``\s`` is Unicode White_Space.
_TO_SPACE = r"[\s\p{P}\p{S}]"
#: characters that are dropped (step 4).
_DROPPED = r"[\p{M}\p{Cc}\p{Cf}]"
#: case folds beyond lower-casing (step 2).
_FOLDS = {"ß": "ss", "ς": "σ"}
#: Unicode White_Space (what ``\s`` matches in polars' regex engine), for the Python twin.
_WHITE_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def name_key(expr: pl.Expr) -> pl.Expr:
    """The normalised name of each value: NFKD, case-folded, no accents or punctuation, single spaces."""
    folded = expr.str.normalize("NFKD").str.to_lowercase()
    for old, new in _FOLDS.items():
        folded = folded.str.replace_all(old, new, literal=True)
    key = (
        folded.str.replace_all(_TO_SPACE, " ")
        .str.replace_all(_DROPPED, "")
        .str.replace_all(" +", " ")
        .str.strip_chars(" ")
    )
    return pl.when(key != "").then(key)


def key_of_name(value: str | None) -> str | None:
    """The :func:`name_key` of one Python string (None for None or an empty key)."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKD", value).lower()
    for old, new in _FOLDS.items():
        text = text.replace(old, new)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in _WHITE_SPACE or category[0] in "PS":
            kept.append(" ")
        elif category[0] == "M" or category in ("Cc", "Cf"):
            continue
        else:
            kept.append(char)
    key = " ".join(part for part in "".join(kept).split(" ") if part)
    return key or None
