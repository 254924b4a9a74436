"""Former name of benchmarks/ticks.py (as-of join and VWAP: Casebook against DuckDB and pandas).

Kept so that `make bench` (`benchmarks/asof_join.py --scale medium`) and the other scripts'
`from asof_join import machine_info` keep working; every option of ticks.py applies.
"""

from __future__ import annotations

import sys

from _common import machine_info
from ticks import main

__all__ = ["machine_info", "main"]

if __name__ == "__main__":
    sys.exit(main())
