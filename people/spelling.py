"""Search keys for names: one Latin spelling for every way a name may be written.

Names of Belarusian people reach readers in Belarusian and Russian Cyrillic and in several
Latin transliterations ("Лукашенко", "Lukashenka", "Łukašenka", "Tsikhanouskaya",
"Tikhanovskaya"). `search_key` maps all of them to a lowercase ASCII key in which the usual
transliteration variants coincide (kh/h, zh/z, sh/shch/š/s, ts/c, ou/ov, w/v, y/j/i, doubled
letters). `skeleton` goes further and keeps the consonants only, folding the regular
Belarusian/Russian pairs (ц/т, дз/д, г/g), so that vowel variants ("Lukashenka" /
"Lukashenko") and the two languages' forms of a name meet.
"""

import re
import unicodedata

from anyascii import anyascii

from digestsite.richtext import strip_disallowed_characters

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DIGRAPHS = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"shch|sch|szcz", "s"),
        (r"tsch|tch|ch|cz", "c"),
        (r"sh|sz", "s"),
        (r"zh|rz", "z"),
        (r"kh", "h"),
        (r"ts|tz", "c"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"[yj]", "i"),
        (r"(?<=[aeo])u", "v"),  # Belarusian ў: "Tsikhanouskaya" / "Tsikhanovskaya"
    ]
]
_DOUBLE = re.compile(r"([a-z])\1+")
_SKELETON_FOLDS = [(re.compile(p), r) for p, r in [(r"dz", "d"), (r"c", "t"), (r"g", "h")]]
_VOWELS = re.compile(r"[aeiou]")


def tidy_spaces(text: str) -> str:
    """`text` with runs of spaces (no-break spaces included) made one space, trimmed: a name as
    staff meant to type it."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


def normalize_name(value: str) -> str:
    """The form under which names are compared: NFKC, case-folded, whitespace (NBSP included)
    collapsed to single spaces, typographic apostrophes as '; without the characters no text
    field keeps (`strip_disallowed_characters`), so a name is compared as it will be stored."""
    value = unicodedata.normalize("NFKC", strip_disallowed_characters(value or ""))
    return _SPACES.sub(" ", value.replace("\u2019", "'")).strip().casefold()


def plain_name(value: str) -> str:
    """`normalize_name` without diacritics (ł as l) and without a possessive 's: the form in
    which a name found in text is recognised as one already registered."""
    value = unicodedata.normalize("NFKD", normalize_name(value))
    value = "".join(c for c in value if not unicodedata.combining(c)).replace("ł", "l")
    value = unicodedata.normalize("NFC", value)
    return value[:-2] if value.endswith("'s") else value


def search_key(text: str) -> str:
    """Lowercase Latin key of `text`: transliterated, without diacritics, punctuation or the
    letters that tell one transliteration from another. Words stay separated by one space."""
    value = anyascii(text or "").lower().replace("'", "")
    words = []
    for word in _NOT_WORD.split(value):
        for pattern, replacement in _DIGRAPHS:
            word = pattern.sub(replacement, word)
        word = _DOUBLE.sub(r"\1", word)
        if word:
            words.append(word)
    return " ".join(words)


def skeleton(key: str) -> str:
    """The consonants of each word of a search key, with Belarusian/Russian pairs folded."""
    words = []
    for word in key.split():
        for pattern, replacement in _SKELETON_FOLDS:
            word = pattern.sub(replacement, word)
        word = _DOUBLE.sub(r"\1", _VOWELS.sub("", word)) if not word.isdigit() else word
        if word:
            words.append(word)
    return " ".join(words)


_ROMANISATION_FOLDS = [
    (re.compile(p), r)
    for p, r in [(r"dz", "d"), (r"c", "t"), (r"g", "h"), (r"o", "a"), (r"i[ae]", "e")]
]


def romanisation_key(text: str) -> str:
    """`search_key` with the regular differences between Belarusian and Russian
    romanisations folded too: akanne (o/a), ц/т (Tsikhanouskaya/Tikhanovskaya), дз/д, г/g
    and я/е (Sviatlana/Svetlana). Still vowel-aware, so it is much stricter than `skeleton`."""
    words = []
    for word in search_key(text).split():
        for pattern, replacement in _ROMANISATION_FOLDS:
            word = pattern.sub(replacement, word)
        words.append(_DOUBLE.sub(r"\1", word))
    return " ".join(words)
