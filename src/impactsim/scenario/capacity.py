"""What a scenario may say about a site's power, water and grid (``capacity:``, ``energy:``).

Under an investment::

    capacity:
      it_mw: {value: 103, range: [90, 110]}     # or facility_mw: total site power (PUE then unused)
      utilisation: {value: 0.7, range: [0.5, 0.85]}   # or a path {2028: 0.5, 2030: 0.7}
      pue: {value: 1.15, range: [1.1, 1.56]}
      wue: {value: 0.25, range: [0.18, 1.8]}     # litres of water per kWh of IT energy
      grid: KOR                                  # whose grid factor and national supply
      province: Ulsan                            # whose supply the share is of
      renewable_share: 0.0                       # share bought as renewable (market-based)
      tariff: industrial-eul                     # or KRW per kWh
      bill: compare                              # or from-capacity / from-bill

and at the top level ``energy: {satellites: true, grid_year: 2023}`` adds the electricity-driven
energy and emissions satellites to the table (docs/energy.md). Defaults of every field come
from ``datasets/data/energy/`` with their sources.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from .values import NonNegativeValue, ShareValue, StrictModel, Uncertain, _fix, _input

BILL_MODES = ("compare", "from-capacity", "from-bill")


class PUE(Uncertain):
    """Power usage effectiveness: facility energy ÷ IT energy, in [1, 5]."""

    bounds: ClassVar[tuple[float, float]] = (1.0, 5.0)
    what: ClassVar[str] = "PUE"
    example: ClassVar[str] = " (1.1 hyperscale ... 1.6 industry average)"


PUEValue = Annotated[PUE, _input(PUE)]


class Capacity(StrictModel):
    """A site's power and water: capacity, utilisation, PUE, WUE, grid, renewable purchase."""

    it_mw: NonNegativeValue | None = None
    facility_mw: NonNegativeValue | None = None
    utilisation: ShareValue | dict[int, float] | None = None
    pue: PUEValue | None = None
    energy_per_output: NonNegativeValue | None = Field(
        default=None, description="MWh per table money unit of the site's output (a plant "
        "stated by output, not by megawatts); replaces it_mw/facility_mw")
    wue: NonNegativeValue | None = None
    grid: str = "KOR"
    province: str | None = None
    renewable_share: ShareValue | None = None
    tariff: Literal["industrial-eul"] | float = "industrial-eul"
    grid_factor: NonNegativeValue | None = None
    bill: Literal["compare", "from-capacity", "from-bill"] = "compare"
    source: str | None = None
    note: str | None = None

    @field_validator("utilisation", mode="before")
    @classmethod
    def _path(cls, v: Any) -> Any:
        if isinstance(v, dict) and v and all(isinstance(k, int) or str(k).isdigit() for k in v):
            out = {int(k): val for k, val in v.items()}
            bad = [y for y, f in out.items() if not isinstance(f, int | float) or not 0 <= f <= 1]
            if bad:
                raise _fix(f"utilisation for {sorted(bad)} is outside [0, 1]",
                           "give shares of IT capacity in use, e.g. 0.7")
            return out
        return v

    @field_validator("tariff")
    @classmethod
    def _tariff(cls, v: Any) -> Any:
        if isinstance(v, float) and not 10.0 <= v <= 2000.0:
            raise _fix(f"tariff {v:g} KRW per kWh is implausible",
                       "give KRW per kWh (e.g. 182.7), or `tariff: industrial-eul`")
        return v

    @model_validator(mode="after")
    def _one_size(self) -> Capacity:
        given = [k for k in ("it_mw", "facility_mw", "energy_per_output")
                 if getattr(self, k) is not None]
        if len(given) != 1:
            raise _fix(
                f"capacity needs exactly one of it_mw, facility_mw, energy_per_output "
                f"(got {given or 'none'})",
                "state IT load (it_mw) or total site power (facility_mw), say which",
            )
        if self.facility_mw is not None and self.pue is not None:
            raise _fix("pue given with facility_mw (facility power already includes cooling)",
                       "give it_mw with pue, or facility_mw without pue")
        return self

    @property
    def basis(self) -> str:
        """``it``, ``facility`` or ``output``: what the stated size is."""
        if self.it_mw is not None:
            return "it"
        return "facility" if self.facility_mw is not None else "output"


class EnergySettings(StrictModel):
    """Scenario-level energy options (``energy:``)."""

    #: Add the electricity-driven ``electricity`` (MWh) and ``emissions_electricity`` (tCO2eq)
    #: satellites to the table, so multipliers, results, draws and files carry them.
    satellites: bool = False
    #: Year of the grid emission factor for the satellites (default: latest published).
    grid_year: int | None = Field(default=None, ge=2000, le=2100)
    note: str | None = None
