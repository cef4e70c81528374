"""Readers for public input-output table formats; each returns a validated :class:`IOTable`.

* :func:`read_bok_csv` — Bank of Korea product tables as CSV (e.g. the 2020 165-product table)
* :func:`read_bok_xlsx` — Bank of Korea xlsx workbooks (e.g. the 2020 83-sector workbook)
* :func:`read_wiod_niot` — WIOD 2016 release national input-output tables (one country-year)

The project's own folder format is read by :meth:`IOTable.from_dir`. A reader that meets a file it
does not understand raises :class:`impactsim.DataSourceError` naming the file, the cell and what it
expected there.
"""

from __future__ import annotations

from .bok import read_bok_csv, read_bok_xlsx
from .wiod import read_wiod_niot

__all__ = ["read_bok_csv", "read_bok_xlsx", "read_wiod_niot"]
