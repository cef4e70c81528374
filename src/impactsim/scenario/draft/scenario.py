"""The draft scenarios: YAML text in which every value says where it came from.

One scenario per announced investment (one record: an investor and its places), so that every
draft validates and runs on its own: on the Korea table when the investment is in Korea, else on
the world table.

A value read from the article carries ``# stated: "quote" (chars a-b)``; a value the article
did not give carries ``# assumed: <default> (<why / source>)``. Defaults:

- table: ``korea-2020`` (Bank of Korea 2020 table) when every investment is in Korea, else
  the world table ``wiod-2011`` (WIOD 2013 release) with the country as region, or ``RoW``;
- start year: the announcement year (the convention of the shipped scenarios, docs/scenarios.md);
- end year when none is stated: start + 4, i.e. five years, the median length of the periods in
  the shipped ``seeds/*.yaml`` (3-7 years) [derived];
- profile: ``even`` (no phasing announced; the shipped scenarios' default);
- price year: the announcement year when the table's price index has a value for it, else the
  last year that has one (said in a comment);
- pattern: from the keyword map (:mod:`.keywords`); ``unknown`` becomes the generic
  ``materials-plant`` (equipment + construction + engineering) with a loud mark.

An investment whose total the text says is inside another one ("... $9 billion, including
AWS") says so in its ``overlaps`` line: add the two scenarios' results, never both.

Every string from the article (names, quotes, the file name) goes through :func:`yaml_scalar`
or :func:`yaml_comment` (:mod:`.yamltext`), and each draft is parsed back and validated before
it is returned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...errors import ImpactsimError
from ...textread.places import gazetteer
from ...textread.records import DraftError, DraftRecord, slug
from .. import money
from ..schema import Scenario
from .yamltext import yaml_comment, yaml_scalar

SHIPPED_CURRENCIES = tuple(sorted(money.known_currencies()))
KOREA_TABLE = "korea-2020"
WORLD_TABLE = "wiod-2011"
DEFAULT_YEARS = 5
PLACEHOLDER_PATTERN = "materials-plant"


_q = yaml_scalar


def _quote(text: str, start: int, end: int, limit: int = 70) -> str:
    """A quote for a ``#`` comment: one line, at most ``limit`` characters, escaped."""
    t = " ".join(text.split())
    if len(t) > limit:
        t = t[: limit - 3] + "..."
    return yaml_comment(f'"{t}" (chars {start}-{end})')


def _num(v: float) -> str:
    return f"{v:.6g}" if abs(v) < 1e6 else f"{v:.4e}".replace("e+0", "e+").replace("e+", "e+")


def _wiod() -> set[str]:
    return {e.country for e in gazetteer() if e.source == "wiod"}


@dataclass(frozen=True)
class DraftScenario:
    """One drafted scenario: its name, YAML text and the seed ids it models."""

    name: str
    yaml: str
    seeds: tuple[str, ...]


def price_year(year: int, *, currency: str, korea: bool) -> tuple[int, str]:
    """The scenario's price year and why: ``year`` when the table's GDP deflator (and the
    exchange rate to the table's currency) has a value for it, else the last year before it
    that has both."""
    country, table_currency = ("KOR", "KRW") if korea else ("USA", "USD")
    for y in range(year, year - 30, -1):
        try:
            money.price_level("gdp-deflator", country, y)
            if currency != table_currency:
                money.exchange_rate(currency, table_currency, y)
        except ImpactsimError:
            continue
        if y == year:
            return y, "assumed: money of the announcement year"
        return y, (f"assumed: no GDP deflator for {country} in {year} (the announcement year) is "
                   f"shipped; {y} is the last year with one, so amounts are read as money of {y}")
    return year, ("assumed: money of the announcement year (no deflator shipped; give a price "
                  "factor)")


def _currency_of(r: DraftRecord) -> tuple[float, str, str] | None:
    """(value, currency, how) of the record's amount in a shipped currency, if any."""
    a = r.amounts[0]
    if a.currency in SHIPPED_CURRENCIES:
        return a.value, a.currency, "stated"
    alt = next(((v, c, s) for v, c, s in a.restated if c in SHIPPED_CURRENCIES), None)
    if alt is None:
        return None
    return alt[0], alt[1], f"restated {alt[2].text!r}"


def scenarios(
    records: list[DraftRecord],
    *,
    announced: dt.date | None,
    source: str,
    name: str | None = None,
) -> tuple[list[DraftScenario], list[str]]:
    """One draft scenario per record (each parsed back and validated), and notes on what was
    left out. ``name`` names the first scenario (the others get ``draft-<record id>``)."""
    notes: list[str] = []
    if not records:
        return [], ["no investment found: no scenario drafted"]
    out: list[DraftScenario] = []
    for r in records:
        got = _currency_of(r)
        if got is None:
            notes.append(
                f"{r.id}: no scenario drafted: the amount is in {r.amounts[0].currency}, which "
                "has no shipped exchange rate; fix: write the scenario by hand with "
                "money.exchange_rate, or give the amount in USD or KRW"
            )
            continue
        value, currency, how = got
        default = r.id if r.id.startswith("draft-") else f"draft-{r.id}"
        scen = (name if name and not out else slug(default))[:60].strip("-")
        base, k = scen, 2
        while scen in {f.name for f in out}:  # names cut to 60 characters may meet
            scen = f"{base[:56].strip('-')}-{k}"
            k += 1
        text = _scenario(r, value, currency, how, announced=announced, source=source, name=scen)
        try:
            Scenario.from_text(text, file=f"{scen}.yaml")
        except ImpactsimError as exc:
            raise DraftError(f"the draft for {r.id} does not validate ({exc}); this is a bug in "
                             "the draft writer; fix: report it with the article") from None
        out.append(DraftScenario(scen, text, (r.id,)))
        if r.included_in:
            notes.append(f"{r.id}: included in {r.included_in} according to the text; its "
                         "scenario models that part alone (do not add the two)")
    return out, notes


def scenario_yaml(
    records: list[DraftRecord],
    *,
    announced: dt.date | None,
    source: str,
    name: str | None = None,
) -> tuple[str | None, list[str]]:
    """The first draft scenario's YAML (or ``None``) and the notes (see :func:`scenarios`)."""
    found, notes = scenarios(records, announced=announced, source=source, name=name)
    return (found[0].yaml if found else None), notes


def _scenario(r: DraftRecord, value: float, currency: str, how: str, *,
              announced: dt.date | None, source: str, name: str) -> str:  # fmt: skip
    """The YAML text of one record's scenario."""
    korea = set(r.countries) <= {"KOR"} and bool(r.countries)
    year0 = announced.year if announced else dt.date.today().year
    year, year_why = price_year(year0, currency=currency, korea=korea)
    lines = [
        "# " + yaml_comment(
            f"Draft scenario read from {source} by `impactsim draft`. Check every line:"),
        '#   "# stated:" quotes the article (character span); "# assumed:" is a default a',
        "#   person must confirm or replace. Then: impactsim validate <this file>.",
        "schema_version: 1",
        f"name: {name}",
        f"title: {_q(('Draft: ' + r.investor)[:150])}",
        f"description: {_q('Drafted from ' + source + '; not reviewed.')}",
        f"seeds: [{r.id}]",
    ]
    if korea:
        lines += [
            f"table: {KOREA_TABLE}            # assumed: the investment is in Korea (Bank of "
            "Korea 2020 table)",
            "region: KOR",
        ]
    else:
        lines += [
            f"table: {WORLD_TABLE}             # assumed: an investment outside Korea needs the"
            " world table (WIOD 2013 release, 2011)",
        ]
    lines += [
        f"currency: {currency}                # stated: the currency of the amount",
        f"price_year: {year}              # {year_why}"
        + ("" if announced else " (no date in the text; pass --announced)"),
        "# model.household_leakage is not set: 0 means all household income is spent, so induced",
        "# effects are an upper bound; scenarios/korea.yaml uses 0.07 (household saving rate).",
        "investments:",
    ]
    nm = slug(r.id)[:60].strip("-")
    lines += _investment(r, value, currency, how, year=year0, korea=korea, announced=announced)
    claims = []
    for i, c in enumerate(r.claims):
        cid = slug(f"{nm}-{c.measure}-{i + 1}")[:60].strip("-")
        block = [f"  - id: {cid}", f"    text: {_q(c.text)}", f"    measure: {c.measure}"]
        if c.value is not None:
            block.append(f"    value: {_num(c.value)}   # stated: "
                         f"{_quote(c.span.text, c.span.start, c.span.end)}")  # fmt: skip
        else:
            block.append(f"    low: {_num(c.low or 0)}   # assumed: reading "
                         f"{_quote(c.span.text, c.span.start, c.span.end)} as a range")  # fmt: skip
            block.append(f"    high: {_num(c.high or 0)}")
        block.append(f"    unit: {c.unit}")
        if c.basis == "job-years":
            block.append("    basis: job-years   # stated: a count of person-years (연인원, "
                         "cumulative)")  # fmt: skip
        if c.unit not in ("jobs", "job-years"):
            block.append(f"    currency: {c.unit}")
        if c.region:
            block.append(f"    region: {c.region}   # stated: the economy named in the claim")
        block.append(f"    investments: [{nm}]   # assumed: the nearest earlier investment in "
                     "the text")  # fmt: skip
        block.append(f"    source: {_q(f'{source}, chars {c.span.start}-{c.span.end}')}")
        if announced:
            block.append(f"    date: {announced.isoformat()}")
        claims += block
    if claims:
        lines += ["claims:", *claims]
    lines.append("notes:")
    lines.append(f"  - {_q('Drafted by impactsim draft; every assumed value needs review.')}")
    if r.included_in:
        note = f"Included in {r.included_in} according to the text: do not add the two scenarios."
        lines.append(f"  - {_q(note)}")
    return "\n".join(lines) + "\n"


def _investment(
    r: DraftRecord, value: float, cur: str, how: str, *, year: int, korea: bool,
    announced: dt.date | None,
) -> list[str]:  # fmt: skip
    a = r.amounts[0]
    nm = slug(r.id)[:60].strip("-")
    out = [f"  - name: {nm}"]
    inv_why = next((x.why for x in r.assumed if x.field == "investor"), None)
    if r.investor_span and r.investor != "unknown":
        s = r.investor_span
        inv_q = f"# {'assumed' if inv_why else 'stated'}: {_quote(s.text, s.start, s.end)}"
        inv_q += yaml_comment(f" ({inv_why})") if inv_why else ""
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
           else f"# stated in parentheses: {yaml_comment(how)}")  # fmt: skip
    out.append(f"      amount: {{value: {_num(value)}, qualifier: {a.qualifier}}}   {src}")
    if a.low is not None and a.high is not None and how == "stated":
        out.append(f"      # stated as a range: {_num(a.low)} to {_num(a.high)}; the value is its "
                   "midpoint (run the ends as two scenarios to see the spread)")
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
        why.append(f"start {start} assumed (the announcement year)" if announced else
                   f"start {start} assumed (this year: no date in the text)")
    if end is None and p.relative_years:  # "over the next three years", no date to count from
        end = start + p.relative_years - 1
        why.append(f"end {end}: {p.relative_years} years as stated, counted from the assumed "
                   "start (no announcement date; pass --announced)")
    elif end is None:
        end = start + DEFAULT_YEARS - 1
        why.append(
            f"end {end} assumed ({DEFAULT_YEARS} years, the median period of the "
            "shipped seeds) [derived]"
        )
    elif p.relative_years and announced is not None:
        why.append(yaml_comment(f"'{p.as_stated}' counted from {announced}"))
    stated = (f"stated: {_quote(p.as_stated, p.span.start, p.span.end)}" if p.span else
              "no period stated")  # fmt: skip
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
