# ---
# jupyter:
#   jupytext:
#     formats: md,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Tutorial: from an announcement to a report
#
# On 29 October 2025 the South Korean presidential office said that Amazon Web Services (AWS) will
# invest more than USD 5 billion by 2031 in AI data centres in Incheon and Gyeonggi Province; the
# reports added that industry analysts expect "thousands of jobs"
# ([sources](../sources.md#seed-2025-10-29-aws-korea)). This tutorial turns that announcement
# into a scenario, runs it on the Bank of Korea's 2020 input-output table, checks the jobs claim
# and writes an HTML report.
#
# Run it from the root of a clone of the repository (`pip install -e .` first). The notebook is
# kept as two paired text files, `docs/tutorial/announcement-to-report.md` and `.py` (jupytext);
# open either with Jupyter, or run `python docs/tutorial/announcement-to-report.py`. The test suite
# runs it and checks every printed output shown here.
#
# ## 1. The announcement becomes a seed record
#
# A seed record writes the announcement down in our own words: what was **stated**, what a scenario
# will have to **assume**, and which other announcements it **overlaps** with, so that no money is
# counted twice. The shipped one is `seeds/2025-10-29-aws-incheon-gyeonggi.yaml`:

# %%
from pathlib import Path

import yaml

import impactsim as ims

seed = yaml.safe_load(Path("seeds/2025-10-29-aws-incheon-gyeonggi.yaml").read_text("utf-8"))
amount = seed["amounts"][0]
print(seed["title"])
print(f"{amount['qualifier']} {amount['value'] / 1e9:g} bn {amount['currency']}, "
      f"by {seed['period']['end']}")
print("source:", seed["source"]["file"])
for item in seed["assumed"]:
    print("assumed:", item.split(" (")[0])

# %% [markdown]
# ```text output
# AWS to build AI data centres in Incheon and Gyeonggi
# more-than 5 bn USD, by 2031
# source: docs/sources.md#seed-2025-10-29-aws-korea
# assumed: the start year of spending
# assumed: the split between facility, IT equipment and other costs
# assumed: the yearly phasing, the capacity in MW and the operating spending after completion
# assumed: the price year of the amount
# ```
#
# ## 2. The seed becomes a scenario
#
# A scenario file fills in every assumption, each with its source or marked as an assumption. The
# shipped `scenarios/korea.yaml` does this in full (ranges for the uncertain numbers, local shares
# of chips, a ramp-up of operations). A smaller one, written here:

# %%
scenario_text = """\
schema_version: 1
name: tutorial
title: AWS AI data centres in Incheon and Gyeonggi (tutorial)
seeds: [2025-10-29-aws-incheon-gyeonggi]
table: korea-2020              # Bank of Korea 2020 input-output table (docs/sources.md#bok-io-2020)
region: KOR
currency: USD
price_year: 2025               # assumption: 2025 money
model:
  household_leakage: 0.07      # saving rate (docs/sources.md#bok-national-accounts-2020)
investments:
  - name: aws-incheon-gyeonggi
    investor: Amazon Web Services (AWS)
    seed: 2025-10-29-aws-incheon-gyeonggi
    construction:
      amount: 5.0e+9           # stated floor: "more than USD 5 billion"
      period: [2025, 2031]     # stated end; start assumed
      profile: even            # assumption
      pattern: ai-data-centre-capex
    operations:
      annual_amount: 1.2e+8    # 2.4 % of capex a year (docs/sources.md#epoch-ai-2026)
      period: [2026, 2040]
      pattern: data-centre-operations
claims:
  - id: thousands-of-jobs
    text: Industry analysts expect the investment to create thousands of jobs
    measure: employment
    low: 2000
    high: 9999
    unit: jobs
    source: "docs/sources.md#seed-2025-10-29-aws-korea"
"""
Path("out").mkdir(exist_ok=True)
Path("out/tutorial.yaml").write_text(scenario_text, encoding="utf-8")
scenario = ims.Scenario.from_yaml("out/tutorial.yaml")
print(scenario.title, "on", scenario.table)

# %% [markdown]
# ```text output
# AWS AI data centres in Incheon and Gyeonggi (tutorial) on korea-2020
# ```
#
# A mistake in the file is never a traceback: `ims.Scenario.from_yaml` raises an
# `ims.ScenarioError` whose one-line message names the file, the line, the field and the fix.
#
# ## 3. The scenario becomes shocks
#
# The money is converted to the table's units (USD 2025 → million KRW at 2020 prices, with the
# 2025 exchange rate and the Korean GDP deflator), split over the spending pattern's products and
# into domestic and imported parts. The ledger accounts for every unit (million KRW at 2020
# prices):

# %%
shocks = ims.translate(scenario)
for row in shocks.ledger.itertuples():
    print(f"{row.phase:<13}{row.table_units:>10,.0f} = {row.domestic:>9,.0f} domestic"
          f" + {row.imported:>9,.0f} imported + {row.excluded:>7,.0f} excluded")

# %% [markdown]
# ```text output
# construction  5,827,672 = 3,411,977 domestic + 2,291,702 imported + 123,993 excluded
# construction    371,979 =   293,863 domestic +    78,116 imported +       0 excluded
# operations    2,231,874 = 2,231,874 domestic +         0 imported +       0 excluded
# ```
#
# Servers and GPUs are mostly imported, so they leak abroad; land (2 % of capex) is a transfer and
# is excluded.
#
# ## 4. The shocks become a result
#
# `ims.run` solves the Leontief model for every year and phase: direct, indirect and induced
# (household spending) effects.

# %%
result = ims.run(scenario)
summary = result.summary()
for phase in ("construction", "operations"):
    jobs = summary.loc[(phase, "total"), "employment"]
    va = summary.loc[(phase, "total"), "value_added"] / 1e6
    print(f"{phase:<13} {jobs:>8,.0f} jobs   {va:>5.2f} tn KRW value added")

# %% [markdown]
# ```text output
# construction    30,649 jobs    3.42 tn KRW value added
# operations       1,084 jobs    0.13 tn KRW value added
# ```
#
# Construction figures are **job-years** summed over 2025–2031; operations are jobs **per year** at
# full operation. The two are never added. These are gross effects and an upper bound: fixed prices
# and technology, no capacity constraints, no crowding out.
#
# ## 5. The claim, checked

# %%
for claim in ims.compare_claims(result):
    print(claim.verdict, f"ratio {claim.ratio:.2f}")
    for why in claim.explanations:
        if why.model_value is not None:
            closes = " (would close the gap)" if why.closes_gap else ""
            print(f" - {why.kind}: {why.model_value:,.0f} jobs{closes}")

# %% [markdown]
# ```text output
# depends on the reading ratio 1.37
#  - induced effects: 3,051 jobs (would close the gap)
#  - direct only: 1,446 jobs
#  - jobs vs job-years: 4,378 jobs (would close the gap)
#  - operations years: 15,919 jobs
#  - imports: 6,205 jobs (would close the gap)
# ```
#
# "Thousands of jobs" is read as jobs in a year (the claim states no basis): a construction year
# (about 4,400 jobs) is inside "thousands", a year of full operation (about 1,100) below it, so
# the verdict is "depends on the reading" — it names both rather than picking the closer one (the
# ratio shown is the primary reading's, the construction average year). Several readings of the
# claim would close a gap: without
# induced effects, jobs rather than job-years, or no leakage of spending abroad; each explanation
# carries the model's number under that reading.
#
# ## 6. The report

# %%
ims.write_report(result, "out/tutorial-report.html")
print(Path("out/tutorial-report.html").read_text("utf-8").count("<svg"), "charts")

# %% [markdown]
# ```text output
# 4 charts
# ```
#
# `out/tutorial-report.html` is one self-contained page (inline CSS and SVG charts, no network):
# the headline tables, charts by phase, sector and year, the top sectors and the claim comparison.
# From the command line: `impactsim report out/tutorial.yaml -o out/tutorial-report.html`.
#
# Next: the full scenario with uncertainty ranges (`impactsim run scenarios/korea.yaml`),
# [the scenario format](../scenarios.md) and [the method](../methodology.md).
