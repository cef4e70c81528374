"""Test support for the regions tests: pymrio's published two-region test system and a
hypothesis strategy for random productive multi-region systems.

``td_small_MRIO`` from pymrio's own tests (IndEcol/pymrio, ``tests/test_math.py``): two regions ×
three sectors with published Z, Y, x, A, L and the Ghosh inverse G. The numbers are copied from
that file, not from a run of impactsim.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import impactsim as ims
from impactsim.regional import region_sector_index

SECTORS = ["sector1", "sector2", "sector3"]
REGIONS = ["reg1", "reg2"]
Z = np.array(
    [
        [10, 5, 1, 6, 5, 7],
        [0, 2, 0, 0, 5, 3],
        [10, 3, 20, 4, 2, 0],
        [5, 0, 0, 1, 10, 9],
        [0, 10, 1, 0, 20, 1],
        [5, 0, 0, 1, 10, 10],
    ],
    dtype=float,
)
Y = np.array([[14, 3], [2.5, 2.5], [13, 6], [5, 20], [10, 10], [3, 10]])
X_PUB = np.array([51, 15, 58, 50, 52, 39], dtype=float)
A_PUB = np.array(
    [
        [
            0.19607843137254902,
            0.3333333333333333,
            0.017241379310344827,
            0.12,
            0.09615384615384616,
            0.1794871794871795,
        ],
        [0.0, 0.13333333333333333, 0.0, 0.0, 0.09615384615384616, 0.07692307692307693],
        [0.19607843137254902, 0.2, 0.3448275862068966, 0.08, 0.038461538461538464, 0.0],
        [0.09803921568627451, 0.0, 0.0, 0.02, 0.19230769230769232, 0.23076923076923075],
        [
            0.0,
            0.6666666666666666,
            0.017241379310344827,
            0.0,
            0.38461538461538464,
            0.02564102564102564,
        ],
        [0.09803921568627451, 0.0, 0.0, 0.02, 0.19230769230769232, 0.2564102564102564],
    ]
)
L_PUB = np.array(
    [
        [
            1.3387146304736708,
            0.9689762471208287,
            0.05036622549592462,
            0.17820960407435948,
            0.5752019383714646,
            0.4985179148178926,
        ],
        [
            0.02200779585580331,
            1.3716472861392823,
            0.0076800357678581885,
            0.006557415453762468,
            0.2698335633228079,
            0.15854643902810828,
        ],
        [
            0.43290422861412026,
            0.8627066565439678,
            1.5492942759220427,
            0.18491657196329184,
            0.44027825642348534,
            0.26630955082840885,
        ],
        [
            0.18799498787612925,
            0.5244084722329316,
            0.020254008037620782,
            1.0542007368783255,
            0.5816573175534603,
            0.44685014763069275,
        ],
        [
            0.04400982046095892,
            1.5325472495862535,
            0.05259311578831879,
            0.014602513642445088,
            1.9545285794951548,
            0.2410917825607805,
        ],
        [
            0.19294222439918532,
            0.5382086951864299,
            0.020787008249137116,
            0.05562707205933412,
            0.596964089068025,
            1.4849251515157111,
        ],
    ]
)
# pymrio publishes G to 8 decimals.
G_PUB = np.array(
    [
        [1.33871463, 0.28499301, 0.05727924, 0.1747153, 0.58648041, 0.38121958],
        [0.07482651, 1.37164729, 0.02969614, 0.02185805, 0.93542302, 0.41222074],
        [0.38065717, 0.22311379, 1.54929428, 0.15941084, 0.39473223, 0.17907022],
        [0.19175489, 0.15732254, 0.02349465, 1.05420074, 0.60492361, 0.34854312],
        [0.04316348, 0.44208094, 0.05866155, 0.01404088, 1.95452858, 0.18081884],
        [0.25230906, 0.20700334, 0.03091401, 0.07131676, 0.79595212, 1.48492515],
    ]
)


def small_mrio() -> ims.IOTable:
    """pymrio's td_small_MRIO as an impactsim table: x = Z1 + Y1, value added = x − 1'Z."""
    idx = region_sector_index(REGIONS, SECTORS)
    x = Z.sum(axis=1) + Y.sum(axis=1)
    return ims.IOTable.from_arrays(
        Z,
        Y,
        (x - Z.sum(axis=0))[np.newaxis, :],
        sectors=idx,
        final_demand_categories=[("reg1", "final demand"), ("reg2", "final demand")],
        name="pymrio-small",
    )


@st.composite
def mrio_systems(draw: st.DrawFn) -> tuple[ims.IOTable, np.ndarray]:
    r = draw(st.integers(2, 4))
    n = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    k = r * n
    a = rng.uniform(0, 1, (k, k)) * (rng.uniform(0, 1, (k, k)) < 0.7)
    a *= rng.uniform(0.1, 0.85) / np.maximum(a.sum(axis=0), 1e-9)
    x = rng.uniform(1, 100, k)
    z = a * x
    y = (x - z.sum(axis=1))[:, np.newaxis]
    t = ims.IOTable.from_arrays(
        z,
        y,
        (x - z.sum(axis=0))[np.newaxis, :],
        sectors=region_sector_index([f"R{i}" for i in range(r)], [f"s{j}" for j in range(n)]),
        output=x,
    )
    demand = rng.uniform(0, 10, k) * (rng.uniform(0, 1, k) < 0.6)
    return t, demand
