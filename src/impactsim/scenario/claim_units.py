"""The units a claim may be stated in: what the model can be compared with.

A claim's ``unit`` is free text ("jobs", "job-years", "persons (FTE)", "trillion KRW",
"billion USD"). Every word must be one the library knows for the claim's measure — a scale word,
a currency with shipped rates, or a word of the person or money vocabulary below; any other word
("widgets", "tonnes", "MWh") makes the claim **not comparable** (docs/security.md), so a figure
in another unit is never called "consistent" with the model.
"""

from __future__ import annotations

from .money import known_currencies

#: Scale words a unit may carry ("billion USD"): read by ``claims.unit_scale`` too.
SCALE_WORDS = frozenset({"trillion", "billion", "bn", "million", "mn", "thousand"})

#: Words a claim's unit may use, besides the scale words and currency codes: what the library
#: can compare. Any other word ("widgets", "tonnes") makes the claim "not comparable".
_PERSON_WORDS = frozenset({
    "job", "jobs", "job-year", "job-years", "jobyears", "year", "years", "person", "persons",
    "people", "person-year", "person-years", "worker", "workers", "employee", "employees",
    "fte", "ftes", "position", "positions", "headcount", "employment", "full-time",
    "equivalent", "equivalents", "direct", "indirect", "induced", "total", "new", "per",
    "a", "in", "of", "the", "annual", "annually", "created", "supported",
})
_MONEY_WORDS = frozenset({
    "won", "dollar", "dollars", "us", "euro", "euros", "yen", "yuan", "pound", "pounds",
    "$", "₩", "€", "¥", "£", "us$", "a$", "nominal", "real", "prices", "price", "current",
    "constant", "per", "a", "in", "of", "the", "year", "annual", "annually", "gdp", "value",
    "added", "output", "gross", "income", "wages", "imports",
})


def unit_problem(unit: str, *, money: bool, measure: str) -> str | None:
    """Why a claim's ``unit`` cannot be compared with the model (None when it can): a word the
    library does not know for the claim's measure ("5,000 widgets" is not 5,000 jobs).
    ``money``: the measure is a money measure (value added, output, income, imports)."""
    known = _MONEY_WORDS if money else _PERSON_WORDS
    currencies = {c.lower() for c in known_currencies()}
    for raw in unit.lower().replace("(", " ").replace(")", " ").replace(",", " ").split():
        word = raw.strip(".;:")
        if not word or word in known or word in SCALE_WORDS or word.replace(".", "").isdigit():
            continue
        if money and word in currencies:
            continue
        if all(part in known for part in word.split("-")):
            continue
        kind = "money" if money else "jobs"
        return (f"the unit '{unit}' is not one the model reports for {measure} "
                f"('{raw}' is not a {kind} unit); give e.g. "
                + ("'billion USD' or 'trillion KRW'" if money
                   else "'jobs', 'job-years' or 'persons'"))
    return None
