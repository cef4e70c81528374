"""Score ``impactsim draft`` on the hand-read press corpus, field by field.

Usage::

    python scripts/score_draft_corpus.py [--corpus tests/draft_texts] [-v] [--json out.json]

Each ``NAME.expected.yaml`` in the corpus that lists ``records`` was written by reading
``NAME.txt`` (never by running the reader). Every expected record is matched to the drafted
record with the same first amount (value and currency, or a restatement of it); an expected
record with no match counts as wrong on every field. Fields scored per expected record:

investor
    the investor's name as written in the text (``"SK하이닉스"``, ``"Microsoft"``);
amount
    the value (plus ``low``/``high`` for a range and every restatement in another currency),
    and no extra amounts;
currency, qualifier
    ISO 4217 code; ``exact`` / ``about`` / ``more-than`` / ``up-to``;
period
    start and end year (``null`` when the text states none);
place
    the sub-national places and the countries;
kind
    the spending pattern (``semiconductor-fab`` ...; ``unknown`` when the text does not say);
claims
    the set of (measure, value, basis) of the claims attached to the record; the basis is
    ``job-years`` for person-years (연인원, cumulative) and ``jobs`` otherwise.

False investments are counted separately: each figure listed under ``not_amounts`` (a claim,
past spending, revenue, a subsidy, a comparison) that the draft reads as an investment amount,
plus each drafted record that matches no expected record. Lower is better.

The script prints one line per field (correct / total, share) and the false investments; with
``-v`` it lists every miss. The reader is imported as ``impactsim.scenario.draft.draft``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import yaml

FIELDS = ("investor", "amount", "currency", "qualifier", "period", "place", "kind", "claims")
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "draft_texts"


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9)


def _amounts_of(rec: Any) -> list[tuple[float, str]]:
    out = []
    for a in rec.amounts:
        out.append((a.value, a.currency))
        out += [(v, c) for v, c, *_ in a.restated]
    return out


def _matches(exp: dict[str, Any], rec: Any) -> bool:
    ea = exp["amounts"][0]
    return any(
        c == ea["currency"] and _close(v, ea["value"]) for v, c in _amounts_of(rec)[:1]
    ) or any(
        c == ea["currency"] and _close(v, ea["value"])
        for a in rec.amounts[:1]
        for v, c, *_ in a.restated
    )


def _claim_key(c: Any) -> tuple[str, float | None, str]:
    unit = getattr(c, "unit", "")
    basis = getattr(c, "basis", None)
    if c.measure == "employment":
        kind = "job-years" if (basis == "job-years" or unit == "job-years") else "jobs"
    else:
        kind = "money"
    value = c.value if c.value is not None else c.low
    return (c.measure, None if value is None else round(float(value), 6), kind)


def _exp_claim_key(c: dict[str, Any]) -> tuple[str, float | None, str]:
    if c["measure"] == "employment":
        kind = "job-years" if c.get("unit") == "job-years" else "jobs"
    else:
        kind = "money"
    return (c["measure"], round(float(c["value"]), 6), kind)


def _field_checks(exp: dict[str, Any], rec: Any) -> dict[str, bool]:
    a0 = rec.amounts[0]
    e0 = exp["amounts"][0]
    rest_got = sorted((c, round(v, 3)) for v, c, *_ in a0.restated)
    rest_exp = sorted((r["currency"], round(float(r["value"]), 3)) for r in e0.get("restated", []))
    low = getattr(a0, "low", None)
    high = getattr(a0, "high", None)
    amount_ok = (
        _close(a0.value, e0["value"])
        and len(rec.amounts) == len(exp["amounts"])
        and rest_got == rest_exp
        and (("low" not in e0) or (_close(low, e0["low"]) and _close(high, e0["high"])))
    )
    return {
        "investor": rec.investor == exp["investor"],
        "amount": amount_ok,
        "currency": a0.currency == e0["currency"],
        "qualifier": a0.qualifier == e0["qualifier"],
        "period": (rec.period.start, rec.period.end)
        == (exp["period"]["start"], exp["period"]["end"]),
        "place": sorted(rec.places) == sorted(exp["places"])
        and sorted(rec.countries) == sorted(exp["countries"]),
        "kind": rec.pattern == exp["pattern"],
        "claims": sorted(map(_claim_key, rec.claims), key=str)
        == sorted(map(_exp_claim_key, exp["claims"]), key=str),
    }


def score(corpus: Path, *, verbose: bool = False) -> dict[str, Any]:
    """Field scores over every case of ``corpus`` that lists ``records``."""
    from impactsim.scenario.draft import draft

    right = dict.fromkeys(FIELDS, 0)
    total = dict.fromkeys(FIELDS, 0)
    false_inv = 0
    not_amounts = 0
    read_as_amounts = 0
    extra_records = 0
    cases = 0
    misses: list[str] = []
    for path in sorted(corpus.glob("*.expected.yaml")):
        exp = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "records" not in exp:
            continue
        cases += 1
        name = path.name.replace(".expected.yaml", "")
        text = (corpus / f"{name}.txt").read_text(encoding="utf-8")
        try:
            got = list(draft(text, announced=exp.get("announced")).records)
        except Exception as exc:  # a crash scores zero on the case, and is listed
            misses.append(f"{name}: reader failed ({type(exc).__name__}: {exc})")
            got = []
        free = list(got)
        for e in exp["records"] or []:
            rec = next((r for r in free if _matches(e, r)), None)
            if rec is None:
                rec = next((r for r in free if r.investor == e["investor"]), None)
            for f in FIELDS:
                total[f] += 1
            if rec is None:
                misses.append(f"{name}: no record for {e['investor']} {e['amounts'][0]}")
                continue
            free.remove(rec)
            for f, ok in _field_checks(e, rec).items():
                right[f] += ok
                if not ok:
                    misses.append(f"{name}: {f} wrong for {e['investor']}: {_show(f, rec)}")
        extra_records += len(free)
        for r in free:
            misses.append(f"{name}: extra record {r.investor} {_amounts_of(r)[:1]}")
        amounts = [(v, c) for r in got for v, c in _amounts_of(r)]
        for bad in exp.get("not_amounts", []) or []:
            not_amounts += 1
            if any(c == bad["currency"] and _close(v, bad["value"]) for v, c in amounts):
                read_as_amounts += 1
                misses.append(f"{name}: {bad['quote']!r} read as an investment ({bad['why']})")
    false_inv = read_as_amounts + extra_records
    if verbose:
        for m in misses:
            print("  miss:", m)
    return {
        "cases": cases,
        "fields": {f: [right[f], total[f]] for f in FIELDS},
        "overall": [sum(right.values()), sum(total.values())],
        "false_investments": false_inv,
        "not_amounts_read_as_investments": [read_as_amounts, not_amounts],
        "extra_records": extra_records,
    }


def run_drafts(corpus: Path, *, verbose: bool = False) -> dict[str, Any]:
    """Draft every ``*.txt`` of the corpus, then validate (``impactsim validate``'s checks:
    schema, sourcing and shocks) and run every draft scenario (stated case)."""
    import impactsim as ims
    from impactsim.scenario.draft import draft
    from impactsim.scenario.shocks import translate

    out = {"texts": 0, "scenarios": 0, "valid": 0, "ran": 0, "no_scenario": 0,
           "no_scenario_names": [], "failures": []}  # fmt: skip
    for path in sorted(corpus.glob("*.txt")):
        exp_path = corpus / path.name.replace(".txt", ".expected.yaml")
        exp = yaml.safe_load(exp_path.read_text(encoding="utf-8")) if exp_path.exists() else {}
        res = draft(path.read_text(encoding="utf-8"), announced=exp.get("announced"),
                    source=path.name)  # fmt: skip
        out["texts"] += 1
        found = getattr(res, "scenarios", None)  # older readers wrote one combined draft
        if found is None:
            found = [("draft", res.scenario_yaml)] if res.scenario_yaml else []
        if res.records and not found:
            out["no_scenario"] += 1
            out["no_scenario_names"].append(path.stem)
        for name, text in found:
            out["scenarios"] += 1
            try:
                sc = ims.Scenario.from_text(text, file=f"{name}.yaml")
                translate(sc)  # what `impactsim validate` checks
                out["valid"] += 1
                ims.run(sc)
                out["ran"] += 1
            except Exception as exc:  # counted and listed, never hidden
                out["failures"].append(f"{path.stem}/{name}: {type(exc).__name__}: {exc}")
    if verbose:
        for f in out["failures"]:
            print("  draft failed:", f)
    return out


def _show(field: str, rec: Any) -> str:
    if field == "investor":
        return repr(rec.investor)
    if field in ("amount", "currency", "qualifier"):
        return repr([(a.value, a.currency, a.qualifier) for a in rec.amounts])
    if field == "period":
        return repr((rec.period.start, rec.period.end))
    if field == "place":
        return repr((rec.places, rec.countries))
    if field == "kind":
        return repr(rec.pattern)
    return repr(sorted(map(_claim_key, rec.claims), key=str))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=CORPUS)
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument("--json", type=Path, help="also write the scores to this file")
    p.add_argument("--run", action="store_true",
                   help="also validate and run every draft scenario of every corpus text")
    args = p.parse_args(argv)
    res = score(args.corpus, verbose=args.verbose)
    if args.run:
        res["drafts"] = run_drafts(args.corpus, verbose=args.verbose)
    print(f"corpus: {res['cases']} texts with expected records ({args.corpus})")
    for f, (r, t) in res["fields"].items():
        print(f"  {f:<10} {r:>3}/{t:<3} {r / t:6.1%}")
    r, t = res["overall"]
    print(f"  {'overall':<10} {r:>3}/{t:<3} {r / t:6.1%}")
    a, n = res["not_amounts_read_as_investments"]
    print(
        f"  false investments: {res['false_investments']} ({a} of {n} non-investment figures "
        f"read as investments, {res['extra_records']} records not in the expected list)"
    )
    if args.run:
        d = res["drafts"]
        print(f"  drafts: {d['texts']} texts, {d['scenarios']} scenarios; {d['valid']} validate, "
              f"{d['ran']} run; {d['no_scenario']} texts with records but no scenario "
              f"({', '.join(d['no_scenario_names']) or 'none'})")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
