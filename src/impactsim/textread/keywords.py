"""Keyword maps: which shipped spending pattern a purpose suggests, and which words make an
amount a claim, past spending, a comparison or context rather than an investment.

The pattern map goes to the names of ``impactsim/scenario/patterns/*.yaml``; a text that
matches none, or two patterns about equally, gets ``"unknown"`` rather than a guess.
"""

from __future__ import annotations

import re

#: Pattern name → keywords (regular expressions, case-insensitive) that suggest it.
PATTERN_KEYWORDS: dict[str, tuple[str, ...]] = {
    "ai-data-centre-capex": (
        r"data[- ]?cent(?:er|re)s?", r"\bdata hub", r"\bAI hub", r"\bcloud", r"hyperscale",
        r"computing cent(?:er|re)s?", r"\bGPU", r"AI infrastructure", r"server farm",
        r"데이터\s?센터", r"\bIDC\b", r"클라우드", r"AI\s?허브", r"데이터\s?허브",
    ),
    "semiconductor-fab": (
        r"\bfabs?\b", r"\bfoundry", r"semiconductor", r"\bchips?\b(?! manufacturing materials)",
        r"\bmemory\b", r"\bHBM", r"\bDRAM", r"\bNAND", r"wafer", r"packaging", r"\bOSAT",
        r"반도체", r"팹\b", r"메모리", r"파운드리", r"웨이퍼", r"후공정", r"패키징", r"D램",
    ),
    "ev-plant-conversion": (
        r"\bEVs?\b", r"electric[- ]vehicles?", r"car plant", r"auto(?:mobile)? plant",
        r"vehicle plant", r"assembly plant", r"\bcars?\b", r"hybrid", r"전기차", r"자동차",
        r"완성차", r"차량",
    ),
    "materials-plant": (
        r"batter(?:y|ies)", r"cathode", r"anode", r"separator", r"electrolyte", r"precursor",
        r"\bmaterials?\b", r"industrial gas", r"\bglass\b", r"chemical", r"배터리", r"이차전지",
        r"양극재", r"음극재", r"분리막", r"소재", r"석유\s?화학", r"화학\s?단지",
    ),
    "medical-equipment-line": (
        r"ultrasound", r"medical (?:device|equipment)", r"diagnostic", r"imaging",
        r"의료기기", r"초음파",
    ),
    "venture-funding": (
        r"start-?ups?", r"venture capital", r"venture fund", r"(?<!joint )\bventures?\b",
        r"스타트업", r"벤처(?!\s?기업과 합작)",
    ),
}  # fmt: skip
#: Purposes no shipped pattern describes: when they outnumber every pattern's words, the
#: pattern is ``unknown`` ("a combined-cycle power plant to supply new data centres" is a power
#: plant, not a data centre).
OTHER_PURPOSES = "other"
_OTHER_KEYWORDS = (
    r"power (?:plant|station)s?", r"combined[- ]cycle", r"\bsubstations?", r"transmission lines?",
    r"grid connections?", r"solar (?:farm|park|plant)s?", r"wind (?:farm|park)s?",
    r"nuclear (?:plant|reactor)s?", r"\bLNG terminal", r"\bpipelines?", r"\bports?\b",
    r"\bairports?", r"\brailways?", r"\bhighways?", r"\bhotels?\b", r"\bresorts?\b",
    r"발전소", r"송전", r"변전소", r"태양광", r"풍력", r"원전", r"원자로", r"항만", r"공항",
    r"철도", r"고속도로", r"호텔", r"리조트",
)  # fmt: skip

_COMPILED = {k: [re.compile(p, re.I) for p in v]
             for k, v in {**PATTERN_KEYWORDS, OTHER_PURPOSES: _OTHER_KEYWORDS}.items()}


def pattern_scores(text: str) -> dict[str, int]:
    """Keyword hits per pattern in ``text``."""
    return {k: sum(len(rx.findall(text)) for rx in v) for k, v in _COMPILED.items()}


def suggest_pattern(own: str, context: str = "") -> str:
    """The pattern suggested by ``own`` (the amount's sentence), falling back on ``context``.

    A pattern wins when it has at least one hit and more than the runner-up (the words of
    purposes no pattern describes, :data:`OTHER_PURPOSES`, count as a runner-up and, when they
    win, give ``"unknown"``); battery plants (materials words with car words) go to
    ``materials-plant``; otherwise ``"unknown"``.
    """
    for text in (own, context):
        scores = pattern_scores(text)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        (best, n1), (_, n2) = ranked[0], ranked[1]
        if n1 == 0:
            continue
        if n1 > n2:
            return "unknown" if best == OTHER_PURPOSES else best
        tied = {k for k, n in scores.items() if n == n1}
        if tied == {"ev-plant-conversion", "materials-plant"} and re.search(
            r"batter|배터리|이차전지", text, re.I
        ):
            return "materials-plant"
        return "unknown"
    return "unknown"


# ---------------------------------------------------------------- amount classification
#: An effect claimed for the investment (checked first): measure → cue words.
CLAIM_CUES: dict[str, re.Pattern[str]] = {
    "value_added": re.compile(
        r"\bGDP\b|gross domestic product|value[- ]added|부가가치|국내총생산|\bGRDP\b", re.I
    ),
    "income": re.compile(r"household income|\bwages\b|\bincome\b|소득|임금", re.I),
    "output": re.compile(
        r"production[- ]inducement|inducement effect|economic (?:effects?|impact|benefits?|"
        r"ripple|output|value|contribution)|ripple effect|spill-?over|생산\s?유발|경제\s?효과|"
        r"파급\s?효과|(?<!부가가치)(?<!부가가치\s)(?<!고용)(?<!고용\s)유발\s?효과|경제적 효과|"
        r"boost (?:to )?the (?:\w+ )?economy|"
        r"\b(?:to|into|for)\s+(?:the\s+)?(?:[\w'\u2019]+\s+){0,2}economy\b",
        re.I,
    ),
}
_CLAIM_VERB = re.compile(
    r"\bcontribut\w*|\badd(?:s|ing)?\b|\bgenerat\w*|\bboost\w*|\bcreat\w*|\binduc\w*|"
    r"\bexpected to (?:bring|yield|produce)|\b(?:bring|yield)s?\b|\beffects?\b|기대|전망|예상|"
    r"창출|유발|효과",
    re.I,
)
#: Money spent in the past, or totals of earlier periods.
PAST = re.compile(
    r"\b(?:has|have|had|already)\s+(?:already\s+|so far\s+|previously\s+)?"
    r"(?:invested|spent|poured|put|injected|sunk|committed)\b"
    r"|\b(?:invested|spent|poured)\b(?:(?!\bwill\b).){0,80}\b(?:since\s+\d{4}|so far|to date|"
    r"over the (?:past|last)|in the (?:past|last)|last year|previous(?:ly)?)"
    r"|\b(?:since\s+(?:19|20)\d\d|so far|to date|over the (?:past|last)\s+\w+\s+years?|"
    r"in the (?:past|last)\s+\w+\s+years?|cumulative(?:ly)?|in total since)\b"
    r"|\blast year(?:'s)?\b.{0,30}\b(?:invested|spent)\b"
    r"|투자해\s?왔|투자해왔|투자했|투입했|지금까지|그동안|그간|누적|지난\s?\d+\s?년\s?간|지난해\s?(?:에만)?\s?투자",
    re.I,
)
#: A figure quoted for comparison.
COMPARISON = re.compile(
    r"\b(?:compared (?:with|to)|up from|down from|versus|vs\.?|(?:larger|bigger|higher|greater|"
    r"smaller|lower|less|fewer)\s+than|exceeding the|previous record|record of|surpass\w*|"
    r"twice|double|triple|times (?:the|as)|as much as the|the same as)\b"
    r"|대비|보다|비해|웃도는|넘어서는|맞먹는",
    re.I,
)
#: Context figures: revenue, market size, valuations, subsidies and the like.
CONTEXT = re.compile(
    r"\b(?:revenue|revenues|sales|turnover|profit|profits|earnings|market (?:size|value|cap\w*)|"
    r"market (?:is|was|worth)|valued at|valuation|exports?|imports?|budget deficit|"
    r"subsid\w*|tax (?:credits?|breaks?|incentives?)|incentives?|grants?|loans?|tariffs?|"
    r"deal worth|"
    r"contract worth|acquisition|acquire|buyout|stake|shares|dividend|bond|debt|"
    r"financial support|policy support|support package|support programm?es?|support measures|"
    r"aid|operating profit|net income)\b"
    r"|매출|영업이익|순이익|시가총액|수출액|수출|보조금|세액공제|인수|지분|배당|금융\s?지원|정책\s?지원|지원금"
    r"|지원\s?(?:프로그램|패키지|대책|방안)|정책\s?금융",
    re.I,
)
#: Words that make an amount money to be spent.
INVEST_CUE = re.compile(
    r"\binvest\w*|\bspend\w*|\bcapex\b|capital expenditure|\bpour\w*|\binject\w*|"
    r"\bcommit\w*|\ballocat\w*|\bset aside|\bearmark\w*|\bfund(?:s|ing|ed)?\b|\bbuild\w*|"
    r"\bconstruct\w*|\bproject\b|\bplant\b|\bfactory|\bfacilit\w*|\bfab\b|\bworth\b|"
    r"\bpledg\w*|\bplough\w*|\bexpan\w*|\bcampus\b|\bhub\b|\bcent(?:er|re)s?\b|"
    r"\bput\b(?=[^.;]{0,40}\binto\b)|industrial complex|\bclusters?\b|"
    r"투자|투입|조성|건설|설립|증설|신설|짓|구축|규모|출자|집행|들여|들인|쏟아|베팅|사업비|투자비",
    re.I,
)
#: A sub-amount of the record before it ("of which", "a specific allocation of").
ALLOCATION = re.compile(
    r"\b(?:allocation|allocated|set aside|earmarked|of which|of this|of that|of the total|"
    r"part of|portion|"
    r"a share of|the rest)\b|이 중|이 가운데|그중|이 가운데|그 가운데",
    re.I,
)


def claim_measure(window: str) -> str | None:
    """The measure of a money claim ("value_added", "income", "output") or ``None``."""
    for measure, rx in CLAIM_CUES.items():
        if rx.search(window):
            if measure == "income" and not _CLAIM_VERB.search(window):
                continue
            return measure
    return None


def nearest_claim_measure(before: str, after: str) -> str | None:
    """The measure whose cue stands closest before the amount ("생산유발효과 1조 원,
    부가가치유발효과 4000억 원": output, then value added), else the first cue after it."""
    best: tuple[int, str] | None = None
    for measure, rx in CLAIM_CUES.items():
        hits = [m.end() for m in rx.finditer(before)]
        if hits and (best is None or hits[-1] > best[0]):
            if measure == "income" and not _CLAIM_VERB.search(before + after):
                continue
            best = (hits[-1], measure)
    if best is not None:
        return best[1]
    return claim_measure(after)
