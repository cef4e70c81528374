"""Who invests: organisation names in English and Korean press text, without a language model.

English: runs of capitalised words ("Amazon Web Services", "Siemens Healthineers", "SK hynix")
that are not places, people (after a title, or before ", the CEO"), events ("APEC CEO Summit"),
demonyms ("Asian") or common acronyms ("AI", "CEO"). "Long Name (ABBR)" makes ABBR an alias
of "Long Name (ABBR)", the name reported. Korean: the subject of a clause, the word before the
particle 은/는/이/가 ("삼성전자는"), or the word before a title ("SK그룹 회장은").
Partners are the organisations after "with", "together with", "teamed up with", "와 함께".
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from . import world
from .places import gazetteer
from .text import APOS

_WORD = rf"(?:[A-Z][A-Za-z0-9&\-{APOS}.]*[A-Za-z0-9&]|[A-Z]|\d+[A-Z][A-Za-z]*)"
#: A run of capitalised words, taken whole (possessive: one pass, no backtracking); runs of
#: more than :data:`MAX_NAME_WORDS` words are not names.
_SEQ = re.compile(
    rf"(?<![\w\-]){_WORD}(?:(?:\s|\s&\s|\s(?:of|de|du|la|von|van)\s(?=[A-Z]))"
    rf"(?:{_WORD}|hynix|On\b|ON\b))*+"
)
MAX_NAME_WORDS = 8
#: Project and line codes ("P4", "M15X", "A1"): not organisations.
_CODE = re.compile(r"[A-Z]{1,2}\d+[A-Z]?\d*|\d+[A-Z]{0,2}")
_LOWER_ORG = re.compile(r"\bSK hynix\b|\bSK On\b")

STOP = {
    "the", "a", "an", "for", "meanwhile", "according", "in", "on", "at", "by", "with", "this",
    "that", "these", "those", "it", "its", "he", "she", "they", "we", "our", "their", "over",
    "during", "after", "before", "while", "under", "president", "ceo", "chairman", "minister",
    "prime", "vice", "industry", "multiple", "if", "as", "and", "but", "also", "however",
    "from", "to", "his", "her", "there", "here", "when", "where", "why", "how",
    "meta's", "who", "what", "some", "many", "most", "all", "both", "each", "one", "two",
    "three", "four", "five", "new", "last", "next", "first", "second", "third", "local",
    "analysts", "officials", "government", "ministry", "governor", "mayor",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "ai", "ev", "evs", "hbm", "gdp", "r&d", "cfo", "cto",
    "ipo", "mw", "gw", "gwh", "usd", "krw", "jpy", "eur", "us", "u.s.", "u.s", "u.k", "asia",
    "europe",
    "africa", "americas", "latin", "middle", "east", "west", "north", "south", "dram", "nand",
    "llm", "llms", "gpu", "gpus", "cpu", "apec", "apac", "asean", "oecd", "imf", "fdi", "ict",
    "hpc", "saas", "iot", "5g", "6g", "mou", "esg", "lng", "date", "seoul", "yonhap", "reuters",
    "bloomberg", "news", "inc", "corp", "co", "ltd", "said", "says", "chief", "executive",
    "economy", "finance", "trade", "energy", "science", "technology", "national", "assembly",
    "lawmakers", "korean", "japanese", "chinese", "american", "asian", "european", "together",
    "once", "since", "until", "despite", "including", "such", "other", "another", "then", "thus",
    "still", "yet", "nearly", "about", "around", "more", "than", "up", "additionally", "further",
    "furthermore", "moreover", "separately", "earlier", "later",
    "previously", "currently", "today", "yesterday", "tomorrow", "construction", "production",
    "operations", "investment", "investments", "plans", "plan", "project", "phase",
    "between", "among", "within", "without", "through", "across", "amid", "following", "because",
    "although", "though", "unless", "whether", "besides", "beyond", "toward", "towards", "via",
    "per", "upon", "onto", "into", "against", "along", "behind", "below", "beneath", "beside",
    "near", "off", "out", "outside", "inside", "past", "regarding", "concerning", "so", "or",
    "nor", "not", "no", "yes", "every", "any", "few", "several", "overall",
    "total", "combined", "instead", "indeed", "similarly", "likewise", "elsewhere",
    "investors", "companies", "firms", "workers", "residents", "experts", "sources", "reports",
    "shares", "prices", "sales", "exports", "imports", "jobs", "executives",
    "financial", "terms", "details", "global", "domestic", "foreign", "official", "initial",
    "major", "public", "private", "annual", "recent", "future", "strategic", "estimates",
    "market", "markets", "demand", "supply",
}  # fmt: skip
_TITLES = re.compile(
    r"(?:President|Chairman|Chairwoman|Chair|CEO|Chief Executive(?: Officer)?|Minister|"
    r"Vice(?:-| )Chairman|Governor|Mayor|Secretary|Mr\.|Ms\.|Mrs\.|Dr\.|Prime Minister|"
    r"Founder|Director|Commissioner|Senator|Representative|Chancellor|spokesperson|"
    r"spokesman|spokeswoman|executive|head|analyst)\s+$"
)
_AFTER_PERSON = re.compile(
    r"^,?\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+){0,2}?(?:CEO|chief|chairman|chairwoman|president|"
    r"head|founder|minister|governor|mayor|spokes\w+|director|vice|executive|analyst|who)\b"
)
_EVENT = re.compile(
    r"\b(?:Summit|Forum|Conference|Expo|Show|Week|Congress|Fair|Festival|Awards?|Olympics|"
    r"Games|Agreement|Act|Plan|Strategy|Initiative|Program|Programme|Index)$"
)
_GOV = re.compile(r"\b(?:Ministry|Government|Parliament|Assembly|Office|Blue House|Court)\b")
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:an|ese|ish|ean|ian)$")
_PARTNER_BEFORE = re.compile(
    r"(?:\bwith|together with|alongside|partnering with|partnered with|in partnership with|"
    r"teamed up with|joint venture with|joined by|and its partner|partner)\s+(?:\w+\s+){0,2}$",
    re.I,
)
_ABBR = re.compile(
    rf"(?<![\w\-])(?P<long>{_WORD}(?:\s{_WORD}){{1,6}})\s?\((?P<short>[A-Z][A-Za-z0-9&\-]{{1,10}})\)"
)
COUNT = re.compile(
    r"\b(?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+"
    r"(?:(?:international|foreign|global|multinational|overseas|domestic|local|major|"
    r"leading|big|large|tech|technology|korean|japanese|american|chinese|european|other)\s+)*"
    r"(?:companies|firms|corporations|businesses|investors|multinationals|groups|enterprises|"
    r"conglomerates|chipmakers|automakers|carmakers)\b"
    r"|(?P<ko>\d{1,2}|[일이삼사오육칠팔구십]+)\s?(?:개|곳의?)\s?(?:글로벌|외국|해외|외투|국내|주요)?\s?"
    r"(?:기업|회사|업체)",
    re.I,
)
_NUMWORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
PRONOUN = re.compile(
    r"\b(?:it|its|they|their|whose|the (?:company|firm|group|companies|firms|carmaker|automaker|"
    r"chipmaker|conglomerate|tech giant|giant|e-commerce giant|investor|operator|maker|"
    r"manufacturer|enterprise|business))\b"
    r"|(?:이 회사|회사|동사|그룹 측|이 기업|해당 기업)(?:는|은|가|이|측은)",
    re.I,
)

# ---------------------------------------------------------------- Korean
_KO_SUBJECT = re.compile(r"(?<![\w])(?P<tok>[A-Za-z0-9가-힣&·.\-]{2,30}?)(?:은|는|이|가)(?=\s)")
_KO_POSS = re.compile(r"(?<![\w])(?P<tok>[A-Za-z0-9가-힣&·.\-]{2,30}?)(?:의|와|과|이랑)\s")
_KO_STOP = {
    "정부", "회사", "이번", "업계", "대통령", "이", "그", "투자", "사업", "공장", "계획", "규모",
    "총", "관계자", "측", "전문가", "이곳", "해당", "업체", "기업", "이들", "이날", "당국",
    "산업통상자원부", "산업부", "기획재정부", "과학기술정보통신부", "국토교통부", "장관", "총리",
    "지사", "시장", "도지사", "위원장", "청와대", "대통령실", "지자체", "시", "도", "군", "국내",
    "해외", "글로벌", "이를", "이는", "이와", "특히", "또한", "한편", "아울러", "이어", "앞서",
    "이후", "현재", "올해", "내년", "지난해", "작년", "향후", "전체", "신규", "추가", "본사",
    "생산", "고용", "일자리", "효과", "경제", "시설", "라인", "센터", "캠퍼스", "단지", "연구소",
    "효과가", "계획이", "목표", "목표가", "기대", "전망", "예상", "설명", "강조", "발표", "것",
    "수", "등", "데이터센터", "반도체", "배터리", "전기차", "클러스터", "공장은", "투자는",
}  # fmt: skip
_KO_TITLE = re.compile(r"^(?:회장|부회장|사장|대표|대표이사|최고경영자|CEO|의장|총수|창업자)")
_KO_ORG_HINT = re.compile(
    r"[A-Za-z]|그룹|전자|자동차|화학|에너지|솔루션|바이오|하이닉스|반도체|중공업|건설|물산|"
    r"제철|철강|통신|텔레콤|SDI|모비스|기아|현대|삼성|포스코|한화|롯데|네이버|카카오|"
    r"쿠팡|셀즈|홀딩스|테크|모터스|코리아|인베스트|파트너스|조선|해양|항공|증권|은행|금융"
)
_KO_PARTNER_AFTER = re.compile(r"^(?:와|과)\s?(?:함께|손잡고|공동|합작|협력)")


@dataclass(frozen=True)
class Org:
    """An organisation mention: the name reported and where it stands."""

    name: str
    start: int
    end: int
    partner: bool = False


@dataclass
class Registry:
    """Aliases and people seen in the whole text (built once per text)."""

    aliases: dict[str, str] = field(default_factory=dict)
    people: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    lower_words: set[str] = field(default_factory=set)  # words written in lower case

    def canonical(self, name: str) -> str:
        """The reported name of ``name`` (``AWS`` → ``Amazon Web Services (AWS)``)."""
        return self.aliases.get(name, name)


def registry(text: str) -> Registry:
    """Aliases ("Long Name (ABBR)") and people (after titles) of ``text``."""
    reg = Registry(
        places={e.name for e in gazetteer()},
        lower_words=set(re.findall(r"(?<![\w-])[a-z][a-z]+(?![\w-])", text)),
    )
    for m in _ABBR.finditer(text):
        long = _strip_leading_stop(m.group("long"))
        if not long or long in reg.places:
            continue
        full = f"{long} ({m.group('short')})"
        reg.aliases[m.group("short")] = full
        reg.aliases[long] = full
    for m in _SEQ.finditer(text):
        if m.group(0).count(" ") >= MAX_NAME_WORDS:
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 50]
        name = _strip_possessive(m.group(0))
        if _TITLES.search(before) or (_AFTER_PERSON.match(after) and " " in name.strip()):
            if name in reg.aliases:
                continue
            reg.people.add(name)
            reg.people.update(name.split())
    return reg


def _strip_possessive(s: str) -> str:
    return re.sub(rf"[{APOS}]s?$", "", s)


def _strip_leading_stop(s: str) -> str:
    words = s.split()
    i = 0
    while i < len(words) and words[i].lower().rstrip(APOS + "s") in STOP:
        i += 1
    return " ".join(words[i:])


def _clean_english(raw: str, reg: Registry) -> str | None:
    # "China's CATL": a place (or demonym) in the possessive is not part of the name
    parts = re.split(rf"(?<=[A-Za-z])[{APOS}]s\s+", raw.strip())
    if len(parts) > 1 and _strip_leading_stop(parts[0]) in reg.places:
        raw = parts[-1]
    name = _strip_leading_stop(_strip_possessive(raw.strip()))
    name = re.sub(r"\s(?:and|of|de)$", "", name)
    if not name or name.lower() in STOP or name in reg.places or name in reg.people:
        return None
    if name not in known_orgs() and (
        name in world.countries_and_divisions() or world.city(name, cued=False) is not None
    ):
        return None  # a country, a first-level division or a large city
    if all(
        w.lower() in STOP
        or w in reg.places
        or w in reg.people
        or w in ("Province", "City", "County", "State")
        for w in name.split()
    ):
        return None
    if any(name.endswith(" " + k) for k in ("Province", "City", "County", "Prefecture")):
        return None
    if _EVENT.search(name) or _GOV.search(name):
        return None
    if " " not in name and (_DEMONYM.match(name) and name not in reg.aliases):
        return None
    if re.fullmatch(r"[A-Z]\.?|\d+\w*", name) or _CODE.fullmatch(name):
        return None
    if " " not in name and not name.isupper() and name.lower() in reg.lower_words:
        return None  # "Shares rose": a common word written with a capital, not a name
    return reg.canonical(name)


def english_orgs(text: str, start: int, end: int, reg: Registry) -> list[Org]:
    """Organisation mentions in ``text[start:end]``, text order."""
    out: list[Org] = []
    spans: list[tuple[int, int]] = []
    for m in _LOWER_ORG.finditer(text, start, end):
        spans.append((m.start(), m.end()))
        out.append(Org(m.group(0), m.start(), m.end(), _partner(text, m.start())))
    for m in _SEQ.finditer(text, start, end):
        if m.group(0).count(" ") >= MAX_NAME_WORDS:
            continue
        if any(not (m.end() <= a or m.start() >= b) for a, b in spans):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 50]
        raw = m.group(0)
        if _TITLES.search(before) or (_AFTER_PERSON.match(after) and " " in raw.strip()):
            continue
        # a run may hold a place and an org ("Pohang Siemens"), or start with a stop word
        name = _clean_english(raw, reg)
        if name is None or re.search(r"\b(?:in|near)\s+$", before):
            continue  # "a complex in Giheung": a place the gazetteer does not know
        # the org starts where its first kept word starts
        first = _strip_leading_stop(_strip_possessive(raw)).split()[0]
        s = m.start() + raw.find(first)
        e = s + len(_strip_possessive(raw[raw.find(first) :]).rstrip())
        if re.match(r"\s*\(", text[e : e + 3]) and name.endswith(")"):
            e = text.find(")", e) + 1
        out.append(Org(name, s, e, _partner(text, s)))
    out.sort(key=lambda o: o.start)
    return out


def _partner(text: str, start: int) -> bool:
    return bool(_PARTNER_BEFORE.search(text[max(0, start - 40) : start]))


_KO_PARTICLE = re.compile(r"(?:은|는|이|가|의|와|과|도|측은|에서|로부터)$")
#: Endings of Korean company names (a word ending so is a firm; "건설하" is not).
_KO_SUFFIX = re.compile(
    r"(?:그룹|전자|자동차|화학|에너지|솔루션|바이오|바이오로직스|하이닉스|반도체|중공업|건설|물산|제철|"
    r"철강|통신|텔레콤|SDI|모비스|홀딩스|테크|테크놀로지|모터스|코리아|케미칼|클라우드|파트너스|"
    r"증권|은행|금융|머티리얼즈|엔터프라이즈|시스템|일렉트릭|소재|전기|조선|해양|항공|제약|"
    r"인베스트먼트|인더스트리|디스플레이|이노텍|퓨처엠|[A-Z]{2,})$"
)
_KO_GROUP_PREFIX = re.compile(
    r"^(?:삼성|현대|SK|LG|포스코|한화|롯데|GS|CJ|HD|LS|두산|효성|코오롱|에코프로)"
)


@lru_cache(maxsize=1)
def known_orgs() -> dict[str, str]:
    """Name as written → the firm's English name, from ``organisations.csv``."""
    raw = resources.files(__package__).joinpath("organisations.csv").read_text(encoding="utf-8")
    lines = [ln for ln in raw.splitlines() if ln and not ln.startswith("#")]
    return {row["name"]: row["canonical"] for row in csv.DictReader(io.StringIO("\n".join(lines)))}


def same_firm(a: str, b: str) -> bool:
    """Whether two names are one firm: the same name, a short form of it ("Toyota" / "Toyota
    Motor Corp", "Samsung" / "Samsung Electronics"), or two names of one firm in
    ``organisations.csv`` ("현대차" / "현대자동차")."""
    a, b = a.strip(), b.strip()
    if a.lower() == b.lower():
        return True
    if a.lower().startswith(b.lower() + " ") or b.lower().startswith(a.lower() + " "):
        return True
    known = known_orgs()
    return a in known and known.get(a) == known.get(b)


@lru_cache(maxsize=1)
def _known_longest() -> int:
    return max(len(n) for n in known_orgs())


def known_prefix(word: str) -> str | None:
    """The longest known organisation name that ``word`` starts with, if the rest of the word
    is a particle, a parenthesis or nothing ("삼성전자는" → "삼성전자")."""
    names = known_orgs()
    for n in range(min(len(word), _known_longest()), 1, -1):
        head = word[:n]
        if head in names:
            rest = word[n:]
            if not rest or _KO_PARTICLE.fullmatch(rest) or rest[0] in "(\u2060,":
                return head
    return None


def _ko_firm_word(word: str, reg: Registry) -> bool:
    """A Korean word that names a firm: a known name, or a company-name ending / group
    prefix, and not a place, a stop word or a project code."""
    if word in _KO_STOP or len(word) < 2 or _CODE.fullmatch(word):
        return False
    if word in known_orgs():
        return True
    if word in reg.places:
        return False
    starts_with_place = any(word[:k] in reg.places for k in range(2, min(len(word), 12) + 1))
    if starts_with_place and not (_KO_SUFFIX.search(word) or _KO_GROUP_PREFIX.search(word)):
        return False
    return bool(_KO_SUFFIX.search(word) or _KO_GROUP_PREFIX.search(word))


_LATIN_IN_KOREAN = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z0-9&\-]+(?:\s[A-Z][A-Za-z0-9&\-]+){0,5}")


def korean_orgs(text: str, start: int, end: int, reg: Registry) -> list[Org]:
    """Organisation mentions in a Korean sentence: known firms (``organisations.csv``), clause
    subjects, possessors and the word before a title whose ending marks a firm; Latin-script
    names inside Korean text are included; project codes ("P4") are not."""
    out: list[Org] = []
    seg = text[start:end]
    masked = re.sub(r"\([^()\n]{0,40}\)", lambda m: "\u2060" * len(m.group(0)), seg)
    tokens = list(re.finditer(r"[^\s,.\"'\u201c\u201d\u2018\u2019]+", masked))
    for i, t in enumerate(tokens):
        tok = t.group(0)
        s = start + t.start()
        nxt = tokens[i + 1].group(0) if i + 1 < len(tokens) else ""
        clean = tok.replace("\u2060", "")
        known = known_prefix(clean)
        m = re.fullmatch(r"(?P<w>.+?)(?:은|는|이|가|의|와|과|도|측은)", tok)
        partner = tok.endswith(("와", "과")) and bool(
            re.match(r"(?:함께|손잡고|공동|합작|협력)", nxt)
        )
        if known is not None:
            # the name plus an alias in parentheses right after it ("아마존웹서비스(AWS)")
            n = len(known)
            while n < len(tok) and tok[n] == "\u2060":
                n += 1
            out.append(Org(text[s : s + n], s, s + n, partner))
            continue
        if _KO_TITLE.match(tok) and i > 0:
            prev = tokens[i - 1].group(0).replace("\u2060", "")
            if _ko_firm_word(prev, reg):
                ps = start + tokens[i - 1].start()
                out.append(Org(prev, ps, ps + len(prev)))
            continue
        word = (m.group("w") if m else tok).replace("\u2060", "")
        surface = text[s : s + len(m.group("w") if m else tok)]
        if partner and _ko_firm_word(word, reg):
            out.append(Org(surface, s, s + len(surface), True))
            continue
        if not m or tok.endswith(("와", "과")) or not _ko_firm_word(word, reg):
            continue
        out.append(Org(surface, s, s + len(surface), False))
    for m in _LATIN_IN_KOREAN.finditer(masked):
        if "\u2060" in masked[max(0, m.start() - 1) : m.start()]:
            continue
        name = m.group(0)
        if name.lower() in STOP or name in reg.places or _CODE.fullmatch(name):
            continue
        s = start + m.start()
        if any(o.start <= s < o.end for o in out):
            continue
        nxt = masked[m.end() : m.end() + 3]
        if re.match(r"[가-힣]", nxt) and not re.match(r"(?:은|는|이|가|의|와|과|도)(?:\s|$)", nxt):
            continue  # "SK하이닉스" is taken whole by the subject rule
        out.append(Org(reg.canonical(name), s, s + len(name), _partner(text, s)))
    out.sort(key=lambda o: o.start)
    return out


def _is_hangul(s: str) -> bool:
    return any("\uac00" <= c <= "\ud7a3" for c in s)


def count_phrase(text: str, start: int, end: int) -> tuple[int, str] | None:
    """``(n, phrase)`` of "seven international companies" / "7개 기업" in the range, if any."""
    return count_phrase_of(list(COUNT.finditer(text, start, end)))


def count_phrase_of(found: list[re.Match[str]]) -> tuple[int, str] | None:
    """``(n, phrase)`` of the last of the :data:`COUNT` matches ``found``, if n >= 2."""
    if not found:
        return None
    m = found[-1]
    raw = (m.group("n") or m.group("ko") or "").lower()
    if raw.isdigit():
        n = int(raw)
    elif raw in _NUMWORDS:
        n = _NUMWORDS[raw]
    else:
        ko = {"이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9, "십": 10}
        n = ko.get(raw, 0)
    return (n, m.group(0)) if n >= 2 else None
