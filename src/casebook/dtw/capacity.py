"""The factory's weekly production capacity ("optimal") pattern that product sales are compared with.

The Databricks notebook behind chapter 3 describes a 3D-printing company whose capacity is higher in
summer, when it hires temporary staff, and lower in the third week of every month, when the printer
filament supply runs short. This module builds that pattern for a 52-week year, so the seed
seeds/dtw/dtw_capacity_pattern.csv is reproducible:

    .venv/bin/python -m casebook.dtw.capacity > seeds/dtw/dtw_capacity_pattern.csv

Weeks are numbered 0..51 like the UCI data's W0..W51. Week w falls in month w * 12 // 52 + 1, so a month
has 4 or 5 weeks; week_of_month_nr counts the weeks of the same month from 1.
"""

from __future__ import annotations

import sys

import pandas as pd

WEEKS = 52
# The level: 15 units a week, inside the range of the notebook's hand-drawn pattern (12.5 to 28 units).
BASE_UNITS = 15.0
SUMMER_MONTHS = (6, 7, 8)  # June, July, August: temporary staff on the printers
SUMMER_EXTRA_UNITS = 5.0
FILAMENT_SHORT_WEEK_OF_MONTH = 3  # the third week of every month: filament supply runs short
FILAMENT_SHORTFALL_UNITS = 5.0


def month_nr(week_nr: int, weeks: int = WEEKS) -> int:
    """The month (1..12) that a week of the year (0-based) falls in."""
    return week_nr * 12 // weeks + 1


def week_of_month_nr(week_nr: int, weeks: int = WEEKS) -> int:
    """Which week of its month a week is (1 for the month's first week)."""
    first_week = next(w for w in range(weeks) if month_nr(w, weeks) == month_nr(week_nr, weeks))
    return week_nr - first_week + 1


def capacity_pattern(weeks: int = WEEKS) -> pd.DataFrame:
    """One row per week: the calendar flags and capacity_units = base + summer staff - filament shortfall."""
    rows = []
    for week in range(weeks):
        is_summer = month_nr(week, weeks) in SUMMER_MONTHS
        is_filament_short = week_of_month_nr(week, weeks) == FILAMENT_SHORT_WEEK_OF_MONTH
        units = BASE_UNITS + SUMMER_EXTRA_UNITS * is_summer - FILAMENT_SHORTFALL_UNITS * is_filament_short
        rows.append(
            {
                "week_nr": week,
                "month_nr": month_nr(week, weeks),
                "week_of_month_nr": week_of_month_nr(week, weeks),
                "is_summer_staff": is_summer,
                "is_filament_short": is_filament_short,
                "capacity_units": units,
            }
        )
    return pd.DataFrame(rows)


def pattern_csv(weeks: int = WEEKS) -> str:
    """The seed file's text: booleans as true/false, units with one decimal."""
    frame = capacity_pattern(weeks)
    for column in ("is_summer_staff", "is_filament_short"):
        frame[column] = frame[column].map({True: "true", False: "false"})
    return frame.to_csv(index=False, float_format="%.1f", lineterminator="\n")


if __name__ == "__main__":
    sys.stdout.write(pattern_csv())
