"""Earlier versions of bundled patterns, rebuilt inline, for tests that reproduce numbers
published for them (an independent recomputation quoted against pattern version 1 or 2)."""

from __future__ import annotations

from typing import Any

import impactsim as ims


def capex_pattern_v2() -> dict[str, Any]:
    """``ai-data-centre-capex`` as version 2 had it: HBM and server DRAM in one ``memory-chips``
    category (7 %, 310-MEM), storage with the servers (``servers-storage`` 2 %, 340), no Korean
    content channel and no trade or transport margins."""
    pat = ims.get_pattern("ai-data-centre-capex").model_dump(mode="python", exclude_none=True)
    cats = pat["categories"]
    cats.pop("hbm")
    servers = cats.pop("server-systems")
    cats["memory-chips"].update(share={"value": 0.07, "range": [0.05, 0.09]},
                                sectors={"bok-2020": {"310-MEM": 1.0}, "wiod-2013": {"c14": 1.0}})
    cats["servers-storage"] = {**servers, "share": {"value": 0.02, "range": [0.01, 0.04]}}
    for cat in cats.values():
        cat["margins"] = False
        cat.pop("channel", None)
    pat.update(name="ai-data-centre-capex-v2", version=2)
    return pat
