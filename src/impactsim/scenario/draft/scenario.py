"""The draft scenario: YAML text in which every value says where it came from.

A value read from the article carries ``# stated: "quote" (chars a-b)``; a value the article
did not give carries ``# assumed: <default> (<why / source>)``. Defaults:

- table: ``korea-2020`` (Bank of Korea 2020 table) when every investment is in Korea, else
  the world table ``wiod-2011`` (WIOD 2013 release) with the country as region, or ``RoW``;
- start year: the announcement year (the convention of the shipped scenarios, docs/scenarios.md);
- end year when none is stated: start + 4, i.e. five years, the median length of the periods in
  the shipped ``seeds/*.yaml`` (3-7 years) [derived];
- profile: ``even`` (no phasing announced; the shipped scenarios' default);
- price year: the announcement year (money of the day it was announced);
- pattern: from the keyword map (:mod:`.keywords`); ``unknown`` becomes the generic
  ``materials-plant`` (equipment + construction + engineering) with a loud mark.

An investment whose total the text says is inside another one ("... $9 billion, including
AWS") is written commented out, so the draft does not count money twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from ...textread.places import gazetteer
from ...textread.records import DraftRecord, slug

SHIPPED_CURRENCIES = ("USD", "KRW")
KOREA_TABLE = "korea-2020"
WORLD_TABLE = "wiod-2011"
DEFAULT_YEARS = 5
PLACEHOLDER_PATTERN = "materials-plant"


def _q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def _quote(text: str, start: int, end: int, limit: int = 70) -> str:
    t = " ".join(text.split())
    if len(t) > limit:
        t = t[: limit - 3] + "..."
    return f'"{t}" (chars {start}-{end})'


def _num(v: float) -> str:
    return f"{v:.6g}" if abs(v) < 1e6 else f"{v:.4e}".replace("e+0", "e+").replace("e+", "e+")


def _wiod() -> set[str]:
    return {e.country for e in gazetteer() if e.source == "wiod"}


def scenario_yaml(
    records: list[DraftRecord],
    *,
    announced: dt.date | None,
    source: str,
    name: str | None = None,
) -> tuple[str | None, list[str]]:
    """The draft scenario for ``records`` (or ``None``) and notes on what was left out."""
    notes: list[str] = []
    if not records:
        return None, ["no investment found: no scenario drafted"]
    usable: list[tuple[DraftRecord, float, str, str]] = []  # record, value, currency, how
    counts = Counter(
        c
        for r in records
        for c in [r.amounts[0].currency, *(c for _, c, _ in r.amounts[0].restated)]
        if c in SHIPPED_CURRENCIES
    )
    if not counts:
        cur = records[0].amounts[0].currency
        return None, [
            f"no scenario drafted: amounts are in {cur}, which has no shipped exchange rate; "
            "fix: write the scenario by hand with money.exchange_rate, or give the amount in "
            "USD or KRW"
        ]
    first_cur = [r.amounts[0].currency for r in records if r.amounts[0].currency in counts]
    currency = max(counts, key=lambda c: (counts[c], first_cur.count(c), c == "USD"))
    for r in records:
        a = r.amounts[0]
        if a.currency == currency:
            usable.append((r, a.value, currency, "stated"))
            continue
        alt = next(((v, s) for v, c, s in a.restated if c == currency), None)
        if alt is not None:
            usable.append((r, alt[0], currency, f"restated {alt[1].text!r}"))
        else:
            notes.append(
                f"{r.id}: left out of the scenario, amount in {a.currency} and the "
                f"scenario is in {currency}; fix: convert it and add it by hand"
            )
    if not usable:
        return None, [*notes, "no scenario drafted: no amount in a single shipped currency"]

    modelled = [u for u in usable if u[0].included_in is None]
    korea = all(set(r.countries) <= {"KOR"} and r.countries for r, *_ in modelled)
    year = announced.year if announced else dt.date.today().year
    scen = name or slug(f"draft-{usable[0][0].id}")[:60].strip("-")
    lines = [
        f"# Draft scenario read from {source} by `impactsim draft`. Check every line:",
        '#   "# stated:" quotes the article (character span); "# assumed:" is a default a',
        "#   person must confirm or replace. Then: impactsim validate <this file>.",
        "schema_version: 1",
        f"name: {scen}",
        f"title: {_q('Draft: ' + '; '.join(dict.fromkeys(r.investor for r, *_ in usable))[:150])}",
        f"description: {_q('Drafted from ' + source + '; not reviewed.')}",
        f"seeds: [{', '.join(r.id for r, *_ in usable)}]",
    ]
    if korea:
        lines += [
            f"table: {KOREA_TABLE}            # assumed: every investment is in Korea (Bank of "
            "Korea 2020 table)",
            "region: KOR",
        ]
    else:
        lines += [
            f"table: {WORLD_TABLE}             # assumed: investments outside Korea or in several"
            " countries need the world table (WIOD 2013 release, 2011; a run needs a price"
            " factor)",
        ]
    lines += [
        f"currency: {currency}                # stated: the currency of the amounts",
        f"price_year: {year}              # assumed: money of the announcement year"
        + ("" if announced else " (no date in the text; pass --announced)"),
        "# model.household_leakage is not set: 0 means all household income is spent, so induced",
        "# effects are an upper bound; scenarios/korea.yaml uses 0.07 (household saving rate).",
        "investments:",
    ]
    names: dict[str, str] = {}
    for r, value, cur, how in usable:
        inv = _investment(r, value, cur, how, year=year, korea=korea, announced=announced)
        nm = slug(r.id)[:60].strip("-")
        names[r.id] = nm
        if r.included_in is not None:
            lines.append(
                f"  # left out: {r.id} is included in {r.included_in} according to the"
                " text; uncomment to model it instead of (not on top of) that total"
            )
            lines += ["  # " + ln[2:] for ln in inv]
            notes.append(f"{r.id}: written commented out (included in {r.included_in})")
        else:
            lines += inv
    claims = []
    for r, *_ in usable:
        for i, c in enumerate(r.claims):
            cid = slug(f"{names[r.id]}-{c.measure}-{i + 1}")[:60].strip("-")
            block = [f"  - id: {cid}", f"    text: {_q(c.text)}",
                     f"    measure: {c.measure}"]  # fmt: skip
            if c.value is not None:
                block.append(
                    f"    value: {_num(c.value)}   # stated: "
                    f"{_quote(c.span.text, c.span.start, c.span.end)}"
                )
            else:
                block.append(
                    f"    low: {_num(c.low or 0)}   # assumed: reading {c.span.text!r} as a range"
                )
                block.append(f"    high: {_num(c.high or 0)}")
            block.append(f"    unit: {c.unit}")
            if c.unit != "jobs":
                block.append(f"    currency: {c.unit}")
            if c.region:
                block.append(f"    region: {c.region}   # stated: the economy named in the claim")
            if r.included_in is None:
                block.append(
                    f"    investments: [{names[r.id]}]   # assumed: the nearest "
                    "earlier investment in the text"
                )
            block.append(f"    source: {_q(f'{source}, chars {c.span.start}-{c.span.end}')}")
            if announced:
                block.append(f"    date: {announced.isoformat()}")
            claims += block
    if claims:
        lines += ["claims:", *claims]
    lines.append("notes:")
    lines.append(f"  - {_q('Drafted by impactsim draft; every assumed value needs review.')}")
    for n in notes:
        lines.append(f"  - {_q(n)}")
    return "\n".join(lines) + "\n", notes


def _investment(
    r: DraftRecord, value: float, cur: str, how: str, *, year: int, korea: bool,
    announced: dt.date | None,
) -> list[str]:  # fmt: skip
    a = r.amounts[0]
    nm = slug(r.id)[:60].strip("-")
    out = [f"  - name: {nm}"]
    why = next((x.why for x in r.assumed if x.field == "investor"), None)
    if r.investor_span and r.investor != "unknown":
        s = r.investor_span
        inv_q = f"# {'assumed' if why else 'stated'}: {_quote(s.text, s.start, s.end)}"
        inv_q += f" ({why})" if why else ""
    else:
        inv_q = "# assumed: not found in the text; fill in"
    out.append(f"    investor: {_q(r.investor)}   {inv_q}")
    if r.partners:
        out.append(f"    partners: [{', '.join(_q(p) for p in r.partners)}]   # stated")
    out.append(f"    seed: {r.id}")
    if r.places:
        quotes = "; ".join(_quote(s.text, s.start, s.end, 30) for _, s in r.place_spans[:3])
        out.append(f"    places: [{', '.join(_q(p) for p in r.places)}]   # stated: {quotes}")
    if not korea:
        wiod = _wiod()
        regs = [c for c in r.countries if c in wiod]
        if len(regs) == 1 and len(r.countries) == 1:
            out.append(f"    region: {regs[0]}   # stated: the country named")
        elif regs:
            share = round(1.0 / len(r.countries), 4)
            out.append(
                f"    regions:   # assumed: equal shares of the countries named "
                f"({', '.join(r.countries)}); others pooled in RoW"
            )
            for reg in regs:
                out.append(f"      {reg}: {share}")
            if len(regs) < len(r.countries):
                out.append(f"      RoW: {round(1.0 - share * len(regs), 4)}")
        else:
            out.append(
                "    region: RoW   # assumed: no single country in the world table "
                f"({', '.join(r.countries) or 'none named'}); pooled in rest of world"
            )
    if r.included_in:
        out.append(f"    overlaps: {_q('included in ' + r.included_in + ' (the text says so)')}")
    elif r.includes:
        out.append(f"    overlaps: {_q('includes ' + ', '.join(r.includes) + '; do not add both')}")
    out.append("    construction:")
    src = (f"# stated: {_quote(a.span.text, a.span.start, a.span.end)}" if how == "stated"
           else f"# stated in parentheses: {how}")  # fmt: skip
    out.append(f"      amount: {{value: {_num(value)}, qualifier: {a.qualifier}}}   {src}")
    for sub in r.amounts[1:]:
        out.append(
            f"      # part of it: {sub.currency} {_num(sub.value)} "
            f"{_quote(sub.span.text, sub.span.start, sub.span.end)}"
        )
    p = r.period
    start, end = p.start, p.end
    why: list[str] = []
    if start is None:
        start = year if end is None or year <= end else end
        why.append(f"start {start} assumed (the announcement year)")
    if end is None:
        end = start + DEFAULT_YEARS - 1
        why.append(
            f"end {end} assumed ({DEFAULT_YEARS} years, the median period of the "
            "shipped seeds) [derived]"
        )
    stated = (f"stated: {_quote(p.as_stated, p.span.start, p.span.end)}" if p.span else
              "no period stated")  # fmt: skip
    if p.relative_years:
        why.append(f"'{p.as_stated}' counted from {announced}")
    out.append(f"      period: [{start}, {end}]   # {stated}; " + ("; ".join(why) or "as stated"))
    out.append("      profile: even   # assumed: no phasing stated (even spending)")
    if r.pattern == "unknown":
        out.append(
            f"      pattern: {PLACEHOLDER_PATTERN}   # assumed: UNKNOWN purpose - "
            "placeholder (generic plant); choose one of ims.list_patterns()"
        )
    else:
        out.append(
            f"      pattern: {r.pattern}   # assumed: keyword map on the sentence "
            "(impactsim.scenario.draft.keywords)"
        )
    if r.background:
        out.append("      note: mentioned as an earlier announcement; check it is still planned")
    return out
