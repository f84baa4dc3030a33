"""Synthetic person corpus for Zakrila's linkage fixtures and benchmarks.

Persons are Bulgarian for the most part (Cyrillic names), with some foreign
nationals (Latin names with diacritics). `corrupt` applies the errors seen when
several organisations register the same person: typos, a Latin transliteration
by a foreign clerk (not always by the Bulgarian Act), given and family name
swapped, day and month swapped, missing fields.

`normalise_name` mirrors `zakrila_domain::translit::normalise_name`; the Rust
test suite checks the two agree on the fixture corpus.
"""

import random
import unicodedata

GIVEN_F = ("Мария Иванка Елена Йорданка Петя Цветанка Radostina Десислава Гергана "
           "Виктория Николета Юлия Яна Златка Жанета Щилияна Теодора Ралица Силвия "
           "Анелия Христина Кристина Борислава Снежана Любов Даниела Емилия Зорница").split()
GIVEN_M = ("Иван Георги Димитър Николай Петър Христо Йордан Стоян Тодор Васил Цветан "
           "Живко Юлиян Явор Любомир Александър Борислав Калоян Пламен Румен Огнян "
           "Страхил Щерьо Ангел Емил Кирил Митко Асен").split()
FAMILY = ("Иванов Петров Георгиев Димитров Николов Христов Йорданов Стоянов Тодоров "
          "Василев Цветков Живков Юруков Янков Любенов Александров Борисов Калоянов "
          "Пламенов Руменов Щерев Ангелов Емилов Кирилов Жечев Чакъров Шишков Хаджиев "
          "Попов Костадинов Атанасов Марков Дончев Пенчев Радев Колев Илиев Бъчваров").split()
FOREIGN_GIVEN = "Ștefan Ionuț Mihaela Oksana Dmytro Chiamaka Ayşe Mehmet Łucja Jiří".split()
FOREIGN_FAMILY = "Popescu Țurcanu Kovalenko Shevchenko Okafor Yılmaz Şahin Wójcik Dvořák".split()
CITIZENSHIP = ["BGR"] * 8 + ["ROU", "UKR", "NGA", "TUR", "POL", "CZE", "SYR", "AFG"]

# The Bulgarian Transliteration Act (2009), plus common letters of other
# Cyrillic alphabets; "ия" at the end of a word becomes "ia".
ACT = dict(zip("абвгдежзийклмнопрстуфхцчшщъьюяёыэіїєґ",
               "a b v g d e zh z i y k l m n o p r s t u f h ts ch sh sht a y yu ya "
               "yo y e i yi ye g".split()))
# What foreign clerks write instead (passport rules before 2009, German or
# English habits).
VARIANTS = {"ts": ["c", "tz"], "zh": ["j", "z"], "sht": ["st", "sch"], "ya": ["ia", "ja"],
            "yu": ["iu", "ju"], "y": ["i", "j"], "h": ["kh", "ch"], "ch": ["tch"],
            "sh": ["ch", "sch"], "v": ["w"]}
LATIN_FOLD = {"ß": "ss", "æ": "ae", "œ": "oe", "ł": "l", "ø": "o", "đ": "d", "ð": "d",
              "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l"}


def to_latin(s: str) -> str:
    out = []
    for i, c in enumerate(s):
        low = c.lower()
        latin = ACT.get(low)
        if latin is None:
            out.append(c)
            continue
        at_end = i + 1 == len(s) or not s[i + 1].isalpha()
        if low == "я" and i > 0 and s[i - 1].lower() == "и" and at_end:
            latin = "a"
        if c != low:
            nxt = s[i + 1] if i + 1 < len(s) else ""
            prev = s[i - 1] if i > 0 else ""
            caps = nxt.isupper() if nxt.isalpha() else (prev.isalpha() and prev.isupper())
            latin = latin.upper() if caps else latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


def fold(c: str) -> str:
    if c in LATIN_FOLD:
        return LATIN_FOLD[c]
    base = unicodedata.normalize("NFD", c)[0]
    return base if base.isascii() else c


def normalise_name(s: str) -> str:
    words, cur = [], []
    for c in to_latin(s).lower():
        if c.isalnum():
            cur.append(fold(c))
        elif cur:
            words.append("".join(cur))
            cur = []
    if cur:
        words.append("".join(cur))
    return " ".join(words)


def feminine(family: str) -> str:
    return family + "а" if family[-2:] in ("ов", "ев") else family


def person(rng: random.Random, pid: int) -> dict:
    foreign = rng.random() < 0.15
    sex = rng.choice("FM")
    if foreign:
        given, family = rng.choice(FOREIGN_GIVEN), rng.choice(FOREIGN_FAMILY)
        citizenship = rng.choice(CITIZENSHIP[8:])
    else:
        given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
        family = rng.choice(FAMILY)
        family = feminine(family) if sex == "F" else family
        if rng.random() < 0.1:
            family += "-" + (feminine(rng.choice(FAMILY)) if sex == "F" else rng.choice(FAMILY))
        citizenship = "BGR"
    year = rng.randint(1960, 2012)
    return {"id": pid, "given_name": given, "family_name": family,
            "birth_date": f"{year}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
            "sex": sex, "birth_year": str(year), "citizenship": citizenship}


def typo(s: str, rng: random.Random) -> str:
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s) - 1)
    kind = rng.randrange(4)
    letter = rng.choice("aeioustnrлнаео" if not s.isascii() else "aeioustnr")
    if kind == 0:
        return s[:i] + s[i + 1:]
    if kind == 1:
        return s[:i] + letter + s[i:]
    if kind == 2:
        return s[:i] + letter + s[i + 1:]
    return s[:i - 1] + s[i] + s[i - 1] + s[i + 1:]


def latin_variant(s: str, rng: random.Random) -> str:
    """A Latin spelling, by the Act or, half the time, by a foreign habit."""
    latin = to_latin(s)
    if rng.random() < 0.5:
        for src, alts in VARIANTS.items():
            if src in latin.lower() and rng.random() < 0.7:
                latin = latin.replace(src, rng.choice(alts), 1)
    return latin.upper() if rng.random() < 0.3 else latin


def corrupt(p: dict, rng: random.Random) -> dict:
    q = dict(p)
    if rng.random() < 0.5:
        q["given_name"] = latin_variant(q["given_name"], rng)
        q["family_name"] = latin_variant(q["family_name"], rng)
    for key in ("given_name", "family_name"):
        if rng.random() < 0.25:
            q[key] = typo(q[key], rng)
    if rng.random() < 0.08:
        q["given_name"], q["family_name"] = q["family_name"], q["given_name"]
    y, m, d = q["birth_date"].split("-")
    if rng.random() < 0.08 and int(d) <= 12:
        q["birth_date"] = f"{y}-{d}-{m}"
    elif rng.random() < 0.1:
        q["birth_date"] = f"{y}-{m}-{int(d) % 28 + 1:02}"
    if rng.random() < 0.15:
        q["birth_date"] = ""
    if rng.random() < 0.05:
        q["birth_date"], q["birth_year"] = "", ""
    if rng.random() < 0.2:
        q["citizenship"] = ""
    if rng.random() < 0.1:
        q["sex"] = ""
    return q


def zakrila_record(p: dict) -> list:
    """The built-in schema's columns, as `PersonRecord::to_record` makes them."""
    given, family = normalise_name(p["given_name"]), normalise_name(p["family_name"])
    names = sorted(n for n in (given + " " + family).split(" ") if n)
    year = p["birth_year"] or (p["birth_date"][:4] if p["birth_date"] else "")
    sex = normalise_name(p["sex"])[:1]
    return [given, family, " ".join(names), p["birth_date"].strip(), sex, year,
            p["citizenship"].strip().upper()]
