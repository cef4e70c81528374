"""Draws of the physical account: every uncertain input of a site sampled, the account evaluated.

Sampled per draw (independently, with the scenario's seed): the site's size (``it_mw`` /
``facility_mw`` / ``energy_per_output`` when it has a range), utilisation, PUE, WUE, renewable
share, the grid factor (stated, or a factor on the last published one for later years; the
spread is in ``datasets/data/energy/data_centre.csv``), the tariff (a factor, same file), the
operations amount and the pattern's electricity share (their ranges, as the economic draws
use them; the share's marginal, not the Dirichlet of all shares). Inputs without a range stay
at their value, so a scenario with no ranges has every draw equal to the deterministic account.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from ..scenario import energy
from ..scenario.schema import Scenario
from ..scenario.shocks import Shocks
from .distributions import Point
from .draws import quantile_label
from .scenario import to_distribution

#: Quantiles reported for the physical account (P5, P50, P95) unless the scenario sets others.
LEVELS = (0.05, 0.5, 0.95)


def site_draws(site: energy.Site, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``n`` draws of each input of ``site`` (name → array (n,))."""
    out = {}
    for name, value in energy.parameters(site).items():
        spec = value.spec()
        dist = Point(float(value.value)) if spec is None else to_distribution(spec)
        out[name] = dist.sample(rng, n)
    return out


def with_draws(account: energy.PhysicalAccount, scenario: Scenario, shocks: Shocks, *,
               draws: int, seed: int | None,
               levels: tuple[float, ...] = LEVELS) -> energy.PhysicalAccount:
    """``account`` with quantiles of every quantity at full operation over ``draws`` draws."""
    rng = np.random.default_rng(seed)
    found = energy.sites(scenario, shocks)
    per_site: dict[str, pd.DataFrame] = {}
    for site in found:
        res = energy.evaluate(site, site_draws(site, draws, rng))
        k = site.full_index
        per_site[site.investment] = pd.DataFrame({q: v[:, k] for q, v in res.items()})
    per_site["all"] = pd.concat(list(per_site.values())).groupby(level=0).sum(min_count=1)
    rows = []
    labels = [quantile_label(q) for q in levels]
    for inv, frame in per_site.items():
        qs = frame.quantile(list(levels)).to_numpy(dtype=float)  # rows levels, columns quantities
        for j, quantity in enumerate(frame.columns):
            row: dict[str, object] = {"investment": inv, "quantity": quantity}
            row.update({label: float(qs[i, j]) for i, label in enumerate(labels)})
            rows.append(row)
    table = pd.DataFrame(rows).set_index(["quantity", "investment"])
    return replace(account, quantiles=table, n_draws=int(draws))


__all__ = ["LEVELS", "site_draws", "with_draws"]
