"""Scenarios in Korean provinces: each province's spending on its own two-region model.

Invariants (hypothesis, on the bundled korea-2020 table): every effect in a province is at most
the national effect of the same scenario, and province + rest of Korea add up exactly to the
national run (the two-region model aggregates to the national one). The split of spending into
stays / spills / leaks adds up to 1 (value added + imports = final demand, Type I)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.regional import PROVINCES
from impactsim.scenario.sourcing import TwoRegionSourcing, _strategy

SCENARIO = """\
schema_version: 1
name: prov
title: test
table: korea-2020
currency: KRW
price_year: 2020
model:
  household_leakage: {leak}
investments:
  - name: build
    investor: test
    {where}
    construction:
      amount: {amount}
      period: [2021, 2022]
      pattern: {pattern}
{local}    operations:
      annual_amount: {opex}
      period: [2023, 2024]
      pattern: data-centre-operations
"""
CAPEX = ["ai-data-centre-capex", "semiconductor-fab", "ev-plant-conversion", "materials-plant"]


def write(tmp: Path, name: str, **kw: object) -> Path:
    path = tmp / f"{name}.yaml"
    path.write_text(SCENARIO.format(**kw), encoding="utf-8")
    return path


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    provinces=st.lists(st.sampled_from(PROVINCES), min_size=1, max_size=2, unique=True),
    pattern=st.sampled_from(CAPEX),
    amount=st.floats(1e9, 1e13),
    opex=st.floats(1e8, 1e11),
    leak=st.floats(0.0, 0.2),
    local=st.sampled_from([None, 0.3]),
)
def test_province_effects_never_exceed_the_nation_and_sum_to_it(
    tmp_path: Path, provinces, pattern, amount, opex, leak, local
) -> None:
    if len(provinces) == 1:
        where = f"region: {provinces[0]}"
    else:
        where = "regions: {" + ", ".join(f"{p}: 0.5" for p in provinces) + "}"
    stated = "" if local is None else f"      local_share: {{server-systems: {local}}}\n"
    if pattern != "ai-data-centre-capex":
        stated = ""
    kw = dict(pattern=pattern, amount=amount, opex=opex, leak=leak, local=stated)
    prov = ims.run(write(tmp_path, "p", where=where, **kw))
    nat = ims.run(write(tmp_path, "n", where="region: KOR", **kw))
    assert prov.is_provincial and prov.induced
    n = prov.sourcing.national.n  # type: ignore[union-attr]
    for ph in ("construction", "operations"):
        cols = prov._headline_columns(ph)
        pv = prov.values[cols].sum(axis=0)  # effects × measures × (blocks · n)
        nv = nat.values[nat._headline_columns(ph)].sum(axis=0)
        blocks = pv.reshape(pv.shape[0], pv.shape[1], -1, n)
        korea = blocks.sum(axis=2)
        scale = np.abs(nv).max(axis=2, keepdims=True) + 1e-300
        # Province + rest of Korea = the national run, effect by effect, sector by sector.
        np.testing.assert_allclose(korea / scale, nv / scale, atol=1e-9)
        # Every regional effect (summed over sectors) is at most the national one.
        reg_tot = blocks.sum(axis=3)
        nat_tot = nv.sum(axis=2)[:, :, None]
        assert (reg_tot <= nat_tot + 1e-9 * np.abs(nat_tot)).all()
        split = prov.regional_split("employment", ph)
        shares = split[["stays_in_province", "spills_to_rest_of_korea", "leaks_abroad"]]
        np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-6)
        assert (split["in_province"] <= split["korea"] + 1e-9).all()


def test_incheon_direct_construction_is_below_the_national(tmp_path: Path) -> None:
    # A former bug: Incheon's direct effect exceeded the nation's (imports counted local).
    kw = dict(pattern="ai-data-centre-capex", amount=1e12, opex=1e10, leak=0.07, local="")
    inch = ims.run(write(tmp_path, "i", where="region: Incheon", **kw))
    nat = ims.run(write(tmp_path, "n", where="region: KOR", **kw))
    di = inch.summary(phase="construction").loc["direct"]
    dn = nat.summary(phase="construction").loc["direct"]
    assert di["output"] == pytest.approx(dn["output"], rel=1e-9)  # Korea total
    split = inch.regional_split("output", "construction")
    assert split.loc["Incheon", "in_province"] < dn["output"]
    # Servers (340) are bought in Korea at the national domestic share, not at 1.0.
    audit = inch.shocks.audit
    assert not audit.astype(str).apply(lambda c: c.str.contains("taken as domestic")).any().any()


def test_split_reads_like_the_sourcing(tmp_path: Path) -> None:
    kw = dict(pattern="ai-data-centre-capex", amount=1e12, opex=1e10, leak=0.07, local="")
    res = ims.run(write(tmp_path, "g", where="regions: {Incheon: 0.25, Gyeonggi: 0.75}", **kw))
    split = res.regional_split("value_added", "construction")
    assert list(split.index) == ["Incheon", "Gyeonggi", "all provinces"]
    # Stated shares are rescaled: Gyeonggi spends three times what Incheon spends.
    assert split.loc["Gyeonggi", "spending"] == pytest.approx(3 * split.loc["Incheon", "spending"])
    assert split.loc["all provinces", "korea"] == pytest.approx(
        res.summary(phase="construction").loc["total", "value_added"], rel=1e-12
    )
    # Gyeonggi's economy is larger and more diverse: more of a won stays there than in Incheon.
    assert split.loc["Gyeonggi", "stays_in_province"] > split.loc["Incheon", "stays_in_province"]
    assert "no feedback between provinces" in (res.sourcing_note or "")
    with pytest.raises(ims.OptionError, match="provincial"):
        ims.run(write(tmp_path, "k", where="region: KOR", **kw)).regional_split()


def test_provincial_sourcing_choices_and_errors(tmp_path: Path) -> None:
    korea = ims.load_table("korea-2020")
    two = _strategy(korea, ["Gyeonggi", "인천"])
    assert isinstance(two, TwoRegionSourcing) and two.provinces == ("Incheon", "Gyeonggi")
    assert two.regions == ("Incheon", "Korea excl. Incheon", "Gyeonggi", "Korea excl. Gyeonggi")
    with pytest.raises(ims.TableError, match="Korean provinces"):
        _strategy(korea, ["KOR", "Incheon"])
    kw = dict(pattern="ai-data-centre-capex", amount=1e12, opex=1e10, leak=0.07, local="")
    path = write(tmp_path, "u", where="region: Ulsan", **kw)
    with pytest.raises(ims.ImpactsimError, match="draws"):
        ims.run(path, draws=10)


def test_stated_amounts_per_province_are_separate_investments(tmp_path: Path) -> None:
    kw = dict(pattern="ai-data-centre-capex", amount=1e12, opex=1e10, leak=0.07, local="")
    one = write(tmp_path, "a", where="region: Incheon", **kw).read_text(encoding="utf-8")
    inv = one[one.index("  - name: build"):]
    second = inv.replace("name: build", "name: build2").replace("region: Incheon",
                                                                "region: Gyeonggi")
    second = second.replace("amount: 1000000000000.0", "amount: 3000000000000.0")
    path = tmp_path / "two.yaml"
    path.write_text(one + second, encoding="utf-8")
    res = ims.run(path)
    split = res.regional_split("output", "construction")
    assert split.loc["Gyeonggi", "spending"] == pytest.approx(3 * split.loc["Incheon", "spending"])
    shares = ims.run(write(tmp_path, "s", where="regions: {Incheon: 0.25, Gyeonggi: 0.75}",
                           **{**kw, "amount": 4e12}))
    np.testing.assert_allclose(
        shares.regional_split("output", "construction").to_numpy(), split.to_numpy(), rtol=1e-9
    )


def test_purchase_shares_respect_the_nation() -> None:
    korea = ims.load_table("korea-2020")
    src = _strategy(korea, ["Incheon"])
    assert isinstance(src, TwoRegionSourcing)
    n = korea.n
    pos = list(korea.sectors).index("340")
    cat = src.source({"340": 1.0}, region="Incheon", kind="final", demand="gfcf_private",
                     stated_local=None)
    national, _ = src.table_local_shares("gfcf_private")
    bought_in = cat.bridge * cat.local
    # Servers: Korea supplies the national share (0.16 in the issue), Incheon ρ of it, the
    # rest of Korea the remainder; abroad 1 − ℓ.
    assert national[pos] == pytest.approx(0.16, abs=0.01)
    rho = src.purchase["Incheon"][pos]  # type: ignore[index]
    assert 0 < rho < 1
    assert bought_in[pos] == pytest.approx(national[pos] * rho)
    assert bought_in[n + pos] == pytest.approx(national[pos] * (1 - rho))
    assert bought_in.sum() == pytest.approx(national[pos])
    # Construction (KSIC F) is bought on the site: all of its domestic share in the province.
    sections = ims.regional.korea.korean_sections_for(korea).to_numpy()
    assert (src.purchase["Incheon"][sections == "F"] == 1.0).all()  # type: ignore[index]
    stated = src.source({"340": 1.0}, region="Incheon", kind="final", demand="gfcf_private",
                        stated_local=0.5, stated_basis="scenario: local_share")
    assert (stated.bridge * stated.local).sum() == pytest.approx(0.5)
    assert "supplied in Korea" in stated.basis


def test_aggregated_korea_2023_table_runs_by_province(tmp_path: Path) -> None:
    k23 = ims.load_table("korea-2023")
    sections = ims.regional.korea.korean_sections_for(k23)
    # Postal (571, KSIC J) and courier (572, KSIC H) services are one 83-sector: the union.
    assert sections["57"] == "H+J"
    text = SCENARIO.format(where="region: Ulsan", pattern="ai-data-centre-capex", amount=1e12,
                           opex=1e10, leak=0.07, local="")
    text = text.replace("korea-2020", "korea-2023").replace("price_year: 2020",
                                                            "price_year: 2023")
    prov_path = tmp_path / "p23.yaml"
    prov_path.write_text(text, encoding="utf-8")
    nat_path = tmp_path / "n23.yaml"
    nat_path.write_text(text.replace("region: Ulsan", "region: KOR"), encoding="utf-8")
    prov, nat = ims.run(prov_path), ims.run(nat_path)
    for ph in ("construction", "operations"):
        np.testing.assert_allclose(prov.summary(phase=ph).to_numpy(),
                                   nat.summary(phase=ph).to_numpy(), rtol=1e-9)
        split = prov.regional_split("employment", ph)
        assert 0 < split.loc["Ulsan", "province_share"] < 1


def test_regional_decomposition_reads_like_the_effects(tmp_path: Path) -> None:
    kw = dict(pattern="semiconductor-fab", amount=1e12, opex=1e10, leak=0.07, local="")
    res = ims.run(write(tmp_path, "d", where="regions: {Ulsan: 0.4, Gyeongbuk: 0.6}", **kw))
    k = res.measures.index("output")
    for ph in ("construction", "operations"):
        dec = res.regional_decomposition("output", ph)
        vals = res.values[res._headline_columns(ph)].sum(axis=0)[:2, k]  # Type I by sector
        for prov in ("Ulsan", "Gyeongbuk"):
            lo, n = res.sourcing.block(prov)  # type: ignore[union-attr]
            row = dec.loc[prov]
            assert row["intra_regional"] + row["feedback"] == pytest.approx(
                vals[:, lo:lo + n].sum(), rel=1e-9)
            assert row["spillover"] == pytest.approx(vals[:, lo + n:lo + 2 * n].sum(), rel=1e-9)
            assert row["feedback"] >= 0 and row["intra_regional"] > 0
        assert dec.loc["all provinces", "total"] == pytest.approx(
            res.summary(phase=ph).loc[["direct", "indirect"], "output"].sum(), rel=1e-9)


def test_stated_provincial_share(tmp_path: Path) -> None:
    stated = "      provincial_share: {server-systems: 0.9}\n"
    kw = dict(pattern="ai-data-centre-capex", amount=1e12, opex=1e10, leak=0.07, local=stated)
    res = ims.run(write(tmp_path, "ps", where="region: Incheon", **kw))
    audit = res.shocks.audit.astype(str)
    assert audit.apply(lambda c: c.str.contains("provincial_share 0.9")).any().any()
    base = ims.run(write(tmp_path, "pb", where="region: Incheon", **{**kw, "local": ""}))
    # 90 % of the Korean-supplied servers bought in Incheon: more than the FLQ share (SLQ_C 1.22
    # × λ* 0.448 = 0.55).
    a = res.regional_split("output", "construction").loc["Incheon", "in_province"]
    b = base.regional_split("output", "construction").loc["Incheon", "in_province"]
    assert a > b
    np.testing.assert_allclose(res.summary().to_numpy(), base.summary().to_numpy(), rtol=1e-9)
    with pytest.raises(ims.ScenarioError, match="not in a Korean province"):
        ims.run(write(tmp_path, "pn", where="region: KOR", **kw))
    with pytest.raises(ims.ScenarioError, match="provincial_share"):
        ims.run(write(tmp_path, "px", where="region: Incheon",
                      **{**kw, "local": "      provincial_share: {nope: 0.5}\n"}))
