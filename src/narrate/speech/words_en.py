"""English rules for :mod:`narrate.speech.normalize` that are about words, not numbers.

Addresses (URLs, e-mail), titles and abbreviations, symbols, Roman numerals in names, acronyms
(read or spelled). Each rule is a function str -> str.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from narrate.months import month_name, month_number
from narrate.speech import numbers_en as en
from narrate.speech.forms import spell
from narrate.speech.trace import Table, word_set

_TLD = r"(?:com|org|net|gov|edu|int|io|co|uk|ua|eu|us|ca|de|fr|ru|info|news|tv|ly)"
# Every repetition is bounded and a match starts only where a run of address characters starts,
# so a long run without an address ("a.a.a.a...") costs linear time.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")
_URL = re.compile(
    r"(?<![\w.-])(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]"
    rf"|(?<![\w.-])[A-Za-z][\w-]{{0,62}}(?:\.[\w-]{{1,63}}){{0,8}}\.{_TLD}\b"
    r"(?:/[^\s<>\"]*[^\s<>\".,;:!?)\]])?"
)


def _say_host(host: str) -> str:
    labels = [re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label) for label in host.split(".") if label]
    return " dot ".join(labels)


def _say_url(m: re.Match[str]) -> str:
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(0), flags=re.I)
    return _say_host(re.split(r"[/?#:]", host)[0])


def urls_and_emails(text: str) -> str:
    """An address is said as its site ("kyivindependent dot com"); paths are dropped."""
    text = _EMAIL.sub(
        lambda m: " at ".join(_say_host(p) for p in m.group(0).split("@", 1)),
        text,
    )
    return _URL.sub(_say_url, text)


# Titles before a name ("Gov. Hochul"): expanded only when a capitalized word follows.
_TITLES = Table(
    "titles",
    {
        "Mr": "Mister",
        "Mrs": "Missus",
        "Ms": "Miz",
        "Dr": "Doctor",
        "Prof": "Professor",
        "Gov": "Governor",
        "Sen": "Senator",
        "Rep": "Representative",
        "Gen": "General",
        "Lt": "Lieutenant",
        "Col": "Colonel",
        "Sgt": "Sergeant",
        "Capt": "Captain",
        "Cpl": "Corporal",
        "Pvt": "Private",
        "Maj": "Major",
        "Adm": "Admiral",
        "Cmdr": "Commander",
        "Rev": "Reverend",
        "Hon": "Honorable",
        "Pres": "President",
        "Supt": "Superintendent",
        "Det": "Detective",
        "Insp": "Inspector",
        "Fr": "Father",
        "Rt": "Right",
        "St": "Saint",
        "Mt": "Mount",
        "Ft": "Fort",
    },
)
# British style writes some titles without a dot ("Mr Smith", "St Albans").
_TITLE = re.compile(
    rf"\b(?P<t>{'|'.join(_TITLES)})\.\s+(?=[A-Z])"
    r"|\b(?P<bare>[Ss]t|[Mm]t|[MmDd]rs?|[Mm]s)\s+(?=[A-Z][a-z])"
)
# Abbreviations expanded wherever they stand (the pattern includes its dot).
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"\be\.\s?g\b\.?(?:,)?", "for example,"),
    (r"\bi\.\s?e\b\.?(?:,)?", "that is,"),
    (r"\ba\.k\.a\.", "also known as"),
    (r"\betc\b\.?", "et cetera."),
    (r"\bvs?\.(?=\s)|\bvs\b", "versus"),
    (r"\bapprox\.", "approximately"),
    (r"\b[Nn]o\.(?=\s?\d)|#\s?(?=\d)", "number "),
    (r"\bNos\.(?=\s?\d)", "numbers"),
    (r"\bpp\.(?=\s?\d)", "pages"),
    (r"\bp\.(?=\s?\d)", "page"),
    (r"\bFig\.", "figure"),
    (r"\b[Vv]ol\.|\b[Vv]ol\b(?=\s?\d|\s?$)", "volume"),
    (r"\b[Jj]r\b\.?", "Junior"),
    (r"\b[Ss]r\b\.?", "Senior"),
    (r"\b(?P<name>[A-Z][a-z]*) St\.|(?<=[a-z0-9] )St\.(?!\s+[A-Z])", r"\g<name> Street"),
    (r"\bAve\.", "Avenue"),
    (r"\bBlvd\.", "Boulevard"),
    (r"\bCorp\.", "Corporation"),
    (r"\bInc\.", "Incorporated"),
    (r"\b[Ll]td\b\.?", "Limited"),
    (r"\bCo\.", "Company"),
    (r"\b[Dd]ept\b\.?", "Department"),
    (r"\bUniv\.", "University"),
    (r"\bca?\.(?=\s?\d)", "circa"),
    (r"\bb\.(?=\s?(?:1\d{3}|20\d{2})\b)", "born"),
    (r"\bd\.(?=\s?(?:1\d{3}|20\d{2})\b)", "died"),
    (r"\b[Ee]st\.(?=\s?(?:1\d{3}|20\d{2})\b)", "established"),
    (r"\b[Bb]ros\b\.?", "Brothers"),
    (r"\bEsq\.", "Esquire"),
    (r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.", "<month>"),
)
_ABBREVIATION = [(re.compile(pattern), spoken) for pattern, spoken in _ABBREVIATIONS]
_ABBREVIATION_KNOBS = Table("abbreviations", ((pattern, True) for pattern, _ in _ABBREVIATIONS))
_INITIALISM = re.compile(r"\b(?:[A-Za-z]\.){2,}|\b[A-Z]\.[A-Z]\b")


def _title(m: re.Match[str]) -> str:
    title = m.group("t") or m.group("bare").capitalize()
    before = m.string[max(0, m.start() - 20) : m.start()]
    if title == "St" and m.group("bare") and re.search(r"\b[A-Z][a-z]+ $", before):
        return "Street "  # "Elm St Tuesday"
    spoken = _TITLES.get(title)
    return m.group(0) if spoken is None else spoken + " "


def abbreviations(text: str) -> str:
    """Mr. -> "Mister", e.g. -> "for example", No. 1 -> "number 1", U.S. -> "U S"."""

    def expand(spoken: str) -> Callable[[re.Match[str]], str]:
        def replace(m: re.Match[str]) -> str:
            if not _ABBREVIATION_KNOBS.get(m.re.pattern):
                return m.group(0)
            word = m.expand(spoken).strip() if "\\g<" in spoken else spoken
            if word == "<month>":
                word = month_name(month_number(m.group(0)) or 1)
            if word.endswith(".") or not m.group(0).endswith("."):
                return word
            return en.keep_final_period(m, word)

        return replace

    for pattern, spoken in _ABBREVIATION:
        text = pattern.sub(expand(spoken), text)
    text = _TITLE.sub(_title, text)
    return _INITIALISM.sub(lambda m: en.keep_final_period(m, spell(m.group(0))), text)


def symbols(text: str) -> str:
    """& -> "and", + -> "plus", leftover % and °; hashtags, slashes and stray marks go."""
    text = re.sub(r"\s*&\s*", " and ", text)
    text = re.sub(r"\s*\+\s*", " plus ", text)
    text = re.sub(r"\s*%", " percent", text)
    text = re.sub(r"\s*°", " degrees", text)
    text = re.sub(r"(?<!\w)[#@](?=\w)", "", text)
    text = re.sub(r"(?<=\w)/(?=\w)", " ", text)
    return re.sub(r"[*_|~^\\<>=/#]", " ", text)


_ROMAN = re.compile(r"\b(?P<before>[A-Z]\w+) (?P<numeral>[IVXL]+)(?P<poss>'s)?\b(?!')")
_VALID_ROMAN = re.compile(r"(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
# After these a numeral is a number ("World War two", "Type two"); after other names a regnal
# ordinal ("Henry the eighth").
_ROMAN_CARDINAL_AFTER = word_set(
    "roman_cardinal_after",
    "War Part Phase Stage Type Class Chapter Act Title Volume Book Apollo Bowl Vatican Episode "
    "Season Series Level Grade Category Schedule Amendment Article Division Round Generation "
    "Mark Mk Gen",
)
# A royal title before the name makes even "I" a reign: "Queen Elizabeth I", "Tsar Peter I".
_ROYAL_TITLES = frozenset(
    en.words(
        "King Queen Pope Emperor Empress Tsar Czar Tsarina Kaiser Sultan Prince Princess Duke "
        "Duchess Count Countess Shah Pharaoh Saint St"
    )
)
_TITLED = re.compile(rf"\b(?:{'|'.join(_ROYAL_TITLES)})\s$")
_WORLD_WAR = re.compile(r"\bWW(?P<n>III|II|I|[123])\b")


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def roman_numerals(text: str) -> str:
    """World War II and WWII -> "World War two"; Charles III -> "Charles the third"; Henry
    VIII's -> "Henry the eighth's"; Super Bowl LVIII -> "Super Bowl fifty-eight"."""

    def say(m: re.Match[str]) -> str:
        numeral, before, poss = m.group("numeral"), m.group("before"), m.group("poss") or ""
        if not _VALID_ROMAN.fullmatch(numeral):
            return m.group(0)
        cardinal_after = before in _ROMAN_CARDINAL_AFTER
        if "L" in numeral and not cardinal_after:
            return m.group(0)  # "Size XL"
        if numeral == "I" and not cardinal_after:
            titled = _TITLED.search(m.string[max(0, m.start() - 9) : m.start()])
            of_a_realm = re.match(r" of [A-Z]", m.string[m.end() : m.end() + 5])
            if not (titled or of_a_realm):
                return m.group(0)  # the pronoun: "Then I left"; initials: "Nygaard I"
        value = _roman_value(numeral)
        if cardinal_after:
            return f"{before} {en.cardinal(value)}{poss}"
        return f"{before} the {en.ordinal(value)}{poss}"

    text = _WORLD_WAR.sub(
        lambda m: (
            "World War "
            + en.cardinal(
                _roman_value(m.group("n")) if m.group("n")[0] == "I" else int(m.group("n"))
            )
        ),
        text,
    )
    return _ROMAN.sub(say, text)


# Acronyms said as words; every other all-capital word of up to four letters (or without
# vowels) is spelled letter by letter ("FBI" -> "F B I").
_WORD_ACRONYMS = word_set(
    "word_acronyms",
    "NATO NASA OPEC UNESCO UNICEF FIFA UEFA ISIS COVID AIDS SWAT LASER RADAR IKEA ASEAN "
    "HAMAS SCOTUS POTUS HIMARS ATACMS OK FEMA OSHA NAFTA SWIFT CERN DARPA NASCAR AUKUS "
    "BRICS MERS SARS UNRWA AIPAC NASDAQ TASS ISIL NEOM FIDE NVIDIA",
)
_SPELLED_ACRONYMS = word_set("spelled_acronyms", "NAACP USAID UNHCR")
_ACRONYM = re.compile(r"\b(?P<letters>[A-Z]{2,6})(?P<plural>s|'s)?\b")


def _is_prime_minister(m: re.Match[str]) -> bool:
    """ "the PM", "PM Modi", "PM's": the office; "Kirk PM" (initials) or "PM10": letters."""
    before = m.string[max(0, m.start() - 9) : m.start()].lower()
    after = m.string[m.end() : m.end() + 3]
    return bool(
        m.group("plural")
        or re.search(r"\b(?:the|a|former|acting|british|deputy|ex-)\s$", before)
        or re.match(r" [A-Z][a-z]", after)
    )


# A word without a vowel is letters to spell ("tv", "PbS", "dtv"), except these.
_NO_VOWEL_WORDS = word_set(
    "no_vowel_words",
    "mr mrs ms dr st mt ft jr sr ltd vs rs hmm hmmm mm shh psst tsk brr grr pfft nth zzz",
)
_NO_VOWEL = re.compile(
    r"(?<![\w'.-])(?=[A-Za-z]*[a-z])([B-DF-HJ-NP-TV-XZb-df-hj-np-tv-xz]{2,5})\b(?!')"
)


def vowelless_words(text: str) -> str:
    """tv -> "t v", PbS -> "P b S": a word without a vowel is spelled (capitals go to acronyms)."""

    def say(m: re.Match[str]) -> str:
        word = m.group(1)
        return m.group(0) if word.lower() in _NO_VOWEL_WORDS else spell(word)

    return _NO_VOWEL.sub(say, text)


_ONSETS = frozenset(
    en.words(
        "BL BR CH CL CR DR FL FR GL GR KN PH PL PR QU SC SH SK SL SM SN SP ST SW TH TR TW WH WR"
    )
    + en.words("SCR SPR STR SPL THR SHR SQU")
)


# The consonant pairs an English word may end with ("CART", "CERN"; not "NYPD", "AISG").
_CODAS = frozenset(
    en.words(
        "CH CK CT FF FT GS LD LF LK LL LM LP LS LT MP MS NC ND NG NK NS NT PS PT RB RD RF RG RK "
        "RL RM RN RP RS RT SH SK SP SS ST TH TS WN WS XT"
    )
)


def _sayable(word: str) -> bool:
    """Whether a word in capitals can be read as a word: vowels, an English onset and ending,
    and no run of three consonants ("UNESCO", "CART" yes; "WFTDA", "JSTOR", "NYPD" no)."""
    runs = re.findall(r"[^AEIOUY]+", word)
    onset = re.match(r"[^AEIOUY]*", word)
    coda = re.search(r"[^AEIOUY]*$", word)
    if not re.search("[AEIOUY]", word) or any(len(r) >= 3 for r in runs[1:] if r != runs[-1]):
        return False
    if coda is not None and len(coda.group(0)) > 1 and coda.group(0) not in _CODAS:
        return False
    return onset is None or len(onset.group(0)) < 2 or onset.group(0) in _ONSETS


def _read_as_a_word(word: str) -> bool:
    """Five or six capitals that can be read are a word ("UNESCO"); four only when they start
    with a consonant ("CERN", "TIME", but "USDA", "ACLU", "IAEA" are letters); three or fewer
    never ("CEO", "ZIP": there is no telling them from letters without a dictionary)."""
    if len(word) <= 3 or (len(word) == 4 and word[0] in "AEIOU"):
        return False
    return _sayable(word)


# Greek letters standing alone ("the β version", "α-particles") are said by name.
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρστυφχψω",
        en.words(
            "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi "
            "rho sigma tau upsilon phi chi psi omega"
        ),
        strict=True,
    )
)
_GREEK_LETTER = re.compile(r"(?<!\w)[α-ωΑ-Ω](?!\w)")


def greek_letters(text: str) -> str:
    """β -> "beta"; a Greek letter inside a Greek word stays."""
    return _GREEK_LETTER.sub(lambda m: _GREEK.get(m.group(0).lower(), m.group(0)), text)


def acronyms(text: str) -> str:
    """FBI -> "F B I"; PM (not after a time) -> "prime minister"; NATO stays a word."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return text  # a heading in capitals, not acronyms

    def say(m: re.Match[str]) -> str:
        word, plural = m.group("letters"), m.group("plural") or ""
        if word == "PM" and _is_prime_minister(m):
            return "prime minister" + ("s" if plural == "s" else plural)
        spelled = word in _SPELLED_ACRONYMS or not _read_as_a_word(word)
        if word in _WORD_ACRONYMS or not spelled:
            return m.group(0)
        return spell(word) + ("'s" if plural else "")

    return _ACRONYM.sub(say, text)
