"""Written -> spoken pairs, one rule at a time (the corpora are benchmarks, not tests)."""

from __future__ import annotations

import pytest

from narrate.speech.lexicon import layered, starter_lexicon
from narrate.speech.normalize import (
    COMMON_RULES,
    has_rules,
    normalize,
    normalize_lines,
    rules_for,
)


def say(text: str, **kwargs: object) -> str:
    return normalize(text, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # dates
        ("on Dec. 14, 2024.", "on December fourteenth, twenty twenty-four."),
        ("on Dec. 14.", "on December fourteenth."),
        ("on Jan. 14 the vote", "on January fourteenth the vote"),
        ("December 14, 2024, in Kyiv", "December fourteenth, twenty twenty-four, in Kyiv"),
        ("on 14 December 2024", "on the fourteenth of December twenty twenty-four"),
        ("in the 15 May issue", "in the fifteenth of May issue"),
        ("dated 2024-12-14", "dated December fourteenth, twenty twenty-four"),
        ("from 14-04-2014", "from the fourteenth of April twenty fourteen"),
        ("on 15.01.2020", "on the fifteenth of January twenty twenty"),
        ("on 05.01.2020", "on the fifth of January twenty twenty"),
        ("on 11/17/05", "on November seventeenth, oh five"),
        ("on 01/07/98", "on January seventh, ninety-eight"),
        ("on 17 may 2010", "on the seventeenth of May twenty ten"),
        ("in December 2024", "in December twenty twenty-four"),
        ("on Sat., Dec. 14", "on Saturday, December fourteenth"),
        ("in Dec. it snowed", "in December it snowed"),
        ("SEPT. 15", "September fifteenth"),
        ("you may 5 times", "you may five times"),
        # years and decades
        ("in 2024", "in twenty twenty-four"),
        ("in 1999", "in nineteen ninety-nine"),
        ("in 2005", "in two thousand five"),
        ("in 1906", "in nineteen oh six"),
        ("the 1990s", "the nineteen nineties"),
        ("the '80s", "the eighties"),
        # cardinals, decimals, negatives, ordinals, percent, ranges
        ("over 10,000 troops", "over ten thousand troops"),
        ("1,000,000 people", "one million people"),
        ("a 3.5 rise", "a three point five rise"),
        ("fell to -2 today", "fell to minus two today"),
        ("the 1st and 22nd", "the first and twenty-second"),
        ("40% of it", "forty percent of it"),
        ("5-10% more", "five to ten percent more"),
        ("from 2010-2014", "from twenty ten to twenty fourteen"),
        ("the 2003-04 season", "the two thousand three to two thousand four season"),
        ("5-10 times", "five to ten times"),
        ("code 007", "code zero zero seven"),
        ("ISBN 978-0-313", "I S B N nine seven eight, zero, three one three"),
        ("the G7 and MH17", "the G seven and M H seventeen"),
        ("an F-16 jet", "an F-sixteen jet"),
        ("a 24-year-old", "a twenty-four-year-old"),
        # money
        ("cost $5", "cost five dollars"),
        ("cost $1", "cost one dollar"),
        ("cost $5.50", "cost five dollars and fifty cents"),
        ("cost $0.99", "cost ninety-nine cents"),
        ("Add 1/2 cup", "Add one half cup"),
        ("About 3/4 of voters", "About three quarters of voters"),
        ("2/3 of them", "two thirds of them"),
        ("open 24/7", "open twenty-four seven"),
        ("Call 555-1234 now", "Call five five five, one two three four now"),
        ("Call (212) 555-1234", "Call two one two, five five five, one two three four"),
        ("$5 million", "five million dollars"),
        ("a $2.4 million price tag", "a two point four million dollar price tag"),
        ("a $20 bill", "a twenty dollar bill"),
        ("$1.2bn", "one point two billion dollars"),
        ("£5m", "five million pounds"),
        ("€300, £20 and ¥500", "three hundred euros, twenty pounds and five hundred yen"),
        ("£1.20", "one pound and twenty pence"),
        ("$50-$100", "fifty to one hundred dollars"),
        ("$50.00-$100.00", "fifty to one hundred dollars"),
        ("$20/mo or $15/hr", "twenty dollars per month or fifteen dollars per hour"),
        ("A$10", "ten Australian dollars"),
        ("a $30B deal", "a thirty billion dollar deal"),
        # times
        ("at 7:15 PM", "at seven fifteen p m"),
        ("at 11:08 p.m.", "at eleven oh eight p m."),
        ("at 11:08 p.m. on Friday", "at eleven oh eight p m on Friday"),
        ("at 9 a.m. sharp", "at nine a m sharp"),
        ("at 10:00", "at ten o'clock"),
        ("at 14:30", "at fourteen thirty"),
        ("won in 2:01:09", "won in two hours, one minute, nine seconds"),
        # abbreviations and titles
        ("Mr. Smith and Mrs. Jones", "Mister Smith and Missus Jones"),
        ("Dr. Lee met Gov. Hochul", "Doctor Lee met Governor Hochul"),
        ("Sen. Warren and Rep. Khanna", "Senator Warren and Representative Khanna"),
        ("Gen. Syrskyi and Lt. Col. Ivanov", "General Syrskyi and Lieutenant Colonel Ivanov"),
        ("Sgt. Major", "Sergeant Major"),
        ("in St. Petersburg", "in Saint Petersburg"),
        ("on Elm St.", "on Elm Street."),
        ("on Main St. today", "on Main Street today"),
        ("the St. Louis Cardinals", "the Saint Louis Cardinals"),
        ("at 5 St. James", "at five Saint James"),
        ("the U.S. and the U.K. agreed", "the U S and the U K agreed"),
        ("in the U.S.", "in the U S."),
        ("fruit, e.g. apples", "fruit, for example, apples"),
        ("taxes, i.e. levies", "taxes, that is, levies"),
        ("apples, pears, etc.", "apples, pears, et cetera."),
        ("Ukraine vs. Russia", "Ukraine versus Russia"),
        ("the No. 1 seed", "the number one seed"),
        ("approx. 5 people", "approximately five people"),
        ("Martin Luther King Jr. said", "Martin Luther King Junior said"),
        ("World War II", "World War two"),
        ("King Charles III said", "King Charles the third said"),
        ("then I left", "then I left"),
        # acronyms
        ("the FBI and NATO", "the F B I and NATO"),
        ("two MPs", "two M P's"),
        ("the PM said", "the prime minister said"),
        ("a motion against the PM.", "a motion against the prime minister."),
        ("PM Modi and the PM's aide", "prime minister Modi and the prime minister's aide"),
        ("Kirk PM, Cannon PF", "Kirk P M, Cannon P F"),  # initials
        ("at 5 PM", "at five p m"),
        ("THE FBI IS HERE", "THE FBI IS HERE"),
        # units
        ("120 km/h", "one hundred twenty kilometers per hour"),
        ("over 5 km", "over five kilometers"),
        ("just 1 km", "just one kilometer"),
        ("a 10-km walk", "a ten kilometer walk"),
        ("20 kg", "twenty kilograms"),
        ("60 mph", "sixty miles per hour"),
        ("30°C", "thirty degrees Celsius"),
        ("-5 °C", "minus five degrees Celsius"),
        ("280/km²", "two hundred eighty per square kilometer"),
        (
            "a 120Hz screen, 176 hp",
            "a one hundred twenty hertz screen, one hundred seventy-six horsepower",
        ),
        ("100 Mbps", "one hundred megabits per second"),
        # symbols
        ("Tom & Jerry", "Tom and Jerry"),
        ("AT&T", "A T and T"),
        ("5+ years", "five plus years"),
        ("the #1 pick", "the number one pick"),
        ("#breaking news", "breaking news"),
        ("he said — quietly — no", "he said, quietly, no"),
        ("war – and peace", "war, and peace"),
        ("“significant number”", "significant number"),
        ("Russia’s war", "Russia's war"),
        ("said (quietly) [1] no", "said, quietly, no"),
        ("and/or", "and or"),
        # URLs, e-mail, markup
        ("at https://kyivindependent.com/news/x.", "at kyivindependent dot com."),
        ("see www.bbc.co.uk/news", "see b b c dot co dot uk"),
        ("mail news@kyivindependent.com", "mail news at kyivindependent dot com"),
        ("at SeaFishingHowTo.com", "at Sea Fishing How To dot com"),
        ("<b>Bold</b> text", "Bold text"),
        ("a <a href='x'>link</a> here", "a link here"),
        ("fish &amp; chips", "fish and chips"),
        ("&lt;b&gt;not spoken&lt;/b&gt;", "not spoken"),
        ("**bold** and [a link](https://x.org)", "bold and a link"),
        # years or counts; spaced thousands; US numeric dates; versions; ratios
        ("about 1500 soldiers", "about one thousand five hundred soldiers"),
        ("more than 1500 died", "more than one thousand five hundred died"),
        ("around 1550 the town", "around fifteen fifty the town"),
        (
            "the 1987 Grand Prix and 1987 final",
            "the nineteen eighty-seven Grand Prix and nineteen eighty-seven final",
        ),
        ("about 1 000 000 people", "about one million people"),
        ("10 000 troops", "ten thousand troops"),
        ("10\u202f000 troops", "ten thousand troops"),
        ("on May 5 200 people", "on May fifth two hundred people"),
        ("on 12/14/2024", "on December fourteenth, twenty twenty-four"),
        ("version 1.1.3", "version one point one point three"),
        ("a 1:250,000 map", "a one to two hundred fifty thousand map"),
        ("won 3 : 1", "won three to one"),
        # British titles without a dot; Street after a name
        ("Mr Smith and Dr Jones", "Mister Smith and Doctor Jones"),
        ("in St Albans", "in Saint Albans"),
        ("on Elm St Tuesday", "on Elm Street Tuesday"),
        ("mr Eddy", "Mister Eddy"),
        # words without a vowel are spelled; acronyms that can't be read are spelled
        ("on tv tonight", "on t v tonight"),
        ("PbS detectors", "P b S detectors"),
        ("hmm, Mr. Lee", "hmm, Mister Lee"),
        ("the group WFTDA and JSTOR", "the group W F T D A and J S T O R"),
        ("UNESCO and NASDAQ", "UNESCO and NASDAQ"),
        # Greek letters, initials that are not Roman numerals
        ("the β version of α-particles", "the beta version of alpha-particles"),
        ("C.V. Raman", "C V Raman"),
        ("the #1 pick and # 2", "the number one pick and number two"),
        # punctuation tidy
        ("  too   many    spaces  ", "too many spaces"),
        ("said (AP).", "said, A P."),
    ],
)
def test_english(written: str, spoken: str) -> None:
    assert say(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # decades were read "eighty s": a bare 80s, a mid-80s, a range of decades
        ("the 80s", "the eighties"),
        ("in the ’80s", "in the eighties"),
        ("in his 30s", "in his thirties"),
        ("the mid-80s", "the mid eighties"),
        ("the mid-1980s", "the mid nineteen eighties"),
        ("1960s-80s", "nineteen sixties to eighties"),
        ("1960s-1980s", "nineteen sixties to nineteen eighties"),
        ("in the 1980's", "in the nineteen eighties"),
        ("the 2000s", "the two thousands"),
        ("the 2010s", "the twenty tens"),
        ("the 1990s", "the nineteen nineties"),
        ("the Su-30s", "the Su-thirty s"),  # jets, not a decade
        ("80 s", "eighty s"),
        # time ranges were "two p m-five p m", "four a m, eight twelve p m"
        ("2pm-5pm", "two p m to five p m"),
        ("9am–5pm", "nine a m to five p m"),
        ("5pm-7 pm", "five p m to seven p m"),
        ("4:00 am - 8:12 pm", "four a m to eight twelve p m"),
        ("10-11am", "ten a m to eleven a m"),  # not "ten to eleven a m" (heard as 10:50)
        ("9-10 p.m. EST", "nine p m to ten p m E S T"),
        ("11-1pm", "eleven a m to one p m"),
        ("10-12pm", "ten a m to twelve p m"),
        ("12-2pm", "twelve p m to two p m"),
        ("9:30-11:30 a.m.", "nine thirty a m to eleven thirty a m."),
        ("10:00-11:30", "ten o'clock to eleven thirty"),
        ("from 5 to 7 pm", "from five to seven p m"),
        # time zones were "p mest", "e st"
        ("1:59 p.m. EST", "one fifty-nine p m E S T"),
        ("1:59 p.m.est", "one fifty-nine p m E S T"),
        ("1:59 p.m. e.s.t", "one fifty-nine p m E S T"),
        ("at 1:59 p.m. est.", "at one fifty-nine p m E S T."),
        ("7 pm ET", "seven p m E T"),
        ("10:00 GMT", "ten o'clock G M T"),
        ("14:00 UTC", "fourteen hundred U T C"),
        ("8 a.m. PDT or 4 p.m. BST", "eight a m P D T or four p m B S T"),
        ("at 5 pm et al. said", "at five p m et al. said"),  # "et" is a zone only in capitals
        ("at 5 p.m. Estonia", "at five p m Estonia"),
        # units were "k g", "m b p s", "two x eight m"
        ("12KG", "twelve kilograms"),
        ("12 Kg", "twelve kilograms"),
        ("1 mbps", "one megabit per second"),
        ("3 Mbps", "three megabits per second"),
        ("100 Gbps", "one hundred gigabits per second"),
        ("56 kbps", "fifty-six kilobits per second"),
        ("100 million kg", "one hundred million kilograms"),
        ("12kg/kg", "twelve kilograms per kilogram"),
        ("40 m2", "forty square meters"),
        ("40 m²", "forty square meters"),
        ("3 km2", "three square kilometers"),
        ("2x8 m", "two by eight meters"),
        ("2 x 8 m", "two by eight meters"),
        ("2x8 m2", "two by eight square meters"),
        ("2x8", "two x eight"),
        ("40 km", "forty kilometers"),
        ("3 kg", "three kilograms"),
        ("the 5 mph limit", "the five miles per hour limit"),
        # mixed fractions were "two one half"
        ("2 1/2", "two and a half"),
        ("4 1/2 lbs", "four and a half pounds"),
        ("1 3/4 miles", "one and three quarters miles"),
        ("3 1/3", "three and a third"),
        ("1 1/8 inches", "one and an eighth inches"),
        ("1/2 kg", "half a kilogram"),
        ("1/4th", "one quarter"),
        ("on 1/2/2024", "on January second, twenty twenty-four"),
        ("the 9/11 attacks", "the nine eleven attacks"),
        # money ranges with cents were "one hundred fifty point two five to ..."
        (
            "$150.25-$250.67",
            "one hundred fifty dollars and twenty-five cents to "
            "two hundred fifty dollars and sixty-seven cents",
        ),
        ("$5.50-$10", "five dollars and fifty cents to ten dollars"),
        ("$1.5-$2", "one point five to two dollars"),
    ],
)
def test_misreadings_fixed(written: str, spoken: str) -> None:
    assert say(written) == spoken


def test_plain_sentence_is_unchanged() -> None:
    text = "Ukrainian forces launched a shock offensive into Kursk Oblast in August."
    assert say(text) == text


def test_languages_without_rules_get_only_the_common_rules() -> None:
    # Polish: markup, quotes and dashes go; the engine reads the numbers as it reads them.
    assert normalize("<b>Dnia 14.</b> grudnia — 2024 & więcej", language="pl") == (
        "Dnia 14. grudnia, 2024 & więcej"
    )
    assert rules_for("pl") == COMMON_RULES and not has_rules("pl")
    assert {rules_for(code) != COMMON_RULES for code in ("en", "de", "fr", "es")} == {True}


def test_language_tag_with_region_uses_english_rules() -> None:
    assert say("in 2024", language="en-GB") == "in twenty twenty-four"


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Zelensky said", "zeh lensky said"),
        ("Zelensky's address", "zeh lensky's address"),
        # issue 13: a key with a capital missed the word in capitals ("KURSK" for "Kursk")
        ("ZELENSKY SPEAKS", "zeh lensky SPEAKS"),
        ("ZeLeNsKy said", "ZeLeNsKy said"),  # a key with a capital: that spelling or capitals
        ("Zelenskyy said", "Zelenskyy said"),  # whole words only
        ("zelensky said", "zelensky said"),  # a key with a capital matches that spelling
        ("the NICE report", "the nice report"),
        ("a Nice day", "a neece day"),
        ("a nice day", "a nice day"),
        ("in Kryvyi Rih today", "in krih vee reeh today"),  # keys may contain spaces
        ("Rih alone", "Rih alone"),
        ("the U.N. said", "the you enn said"),  # and dots
        ("at the U.N.", "at the you enn."),  # a final dot still ends the sentence
        ("Dr. Zelensky", "Doctor zeh lensky"),
    ],
)
def test_lexicon(written: str, spoken: str) -> None:
    lexicon = {
        "Zelensky": "zeh lensky",
        "Kryvyi Rih": "krih vee reeh",
        "Kryvyi": "krih vee",
        "Nice": "neece",
        "nice": "nice",
        "U.N.": "you enn",
    }
    assert say(written, lexicon=lexicon) == spoken


def test_lexicon_matches_the_written_text_before_the_rules() -> None:
    # "PM" would be "prime minister" and "Dr." "Doctor": the lexicon sees what was written.
    assert say("the PM said", lexicon={"PM": "premier"}) == "the premier said"
    assert say("Dr. Who", lexicon={"Doctor": "Doc"}) == "Doctor Who"
    assert say("Dr. Who", lexicon={"Dr.": "Doc"}) == "Doc Who"


def test_rules_never_rewrite_a_respelling() -> None:
    # "LEN" would be spelled as letters, "2" said as a number, if the rules saw them.
    assert say("Zelensky", lexicon={"Zelensky": "zeh LEN skee 2"}) == "zeh LEN skee 2"


def test_a_lowercase_key_matches_any_case() -> None:
    assert say("Ukulele, ukulele, UKULELE", lexicon={"ukulele": "oo koo lay lee"}) == (
        "oo koo lay lee, oo koo lay lee, oo koo lay lee"
    )


def test_layers_override_key_by_key_and_regardless_of_case() -> None:
    starter = starter_lexicon("en")
    assert starter["Qatar"] == "kuh-tar"
    assert say("Qatar", lexicon=layered([starter, {"qatar": "kah tar"}])) == "kah tar"
    assert say("Qatar", lexicon=layered([starter, {"Qatar": "Qatar"}])) == "Qatar"
    assert say("Scholz", lexicon=layered([starter, {"Qatar": "Qatar"}])) == "sholts"


def test_placeholder_lookalikes_in_the_text_are_left_alone() -> None:
    assert say("Zlexqaq and Zelensky", lexicon={"Zelensky": "zeh lensky"}) == (
        "Zlexqaq and Zelensky"
    )


def test_long_unpunctuated_text_takes_linear_time() -> None:
    # Regression: "a.a.a..." (50,000 characters) took minutes in the address rule, a long run of
    # blanks as long in the bracket rule. Long text is now cut into pieces at spaces and every
    # pattern bounded; this finishes in a fraction of a second (the benchmark prints the times).
    assert normalize("a." * 25_000).count("a") >= 25_000
    assert normalize("word \t " * 20_000) == " ".join(["word"] * 20_000)
    words = normalize("Dr. Smith paid $5 " * 5_000).split()
    assert words.count("Doctor") == 5_000 and words.count("dollars") == 5_000


def test_normalize_lines_keeps_one_line_per_line() -> None:
    assert normalize_lines("Dec. 14\n\n$5") == ["December fourteenth", "", "five dollars"]


def test_markup_only_text_says_nothing() -> None:
    assert say("<br/><hr>") == ""
