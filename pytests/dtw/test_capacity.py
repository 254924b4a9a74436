"""The capacity pattern seed: built the documented way, and the file in seeds/ is that build."""

from __future__ import annotations

from pathlib import Path

from casebook.dtw.capacity import capacity_pattern, month_nr, pattern_csv, week_of_month_nr

SEED_CSV = Path(__file__).resolve().parents[2] / "seeds" / "dtw" / "dtw_capacity_pattern.csv"


def test_seed_file_is_the_output_of_the_documented_script() -> None:
    assert SEED_CSV.read_text() == pattern_csv()


def test_weeks_fall_into_twelve_months_of_four_or_five_weeks() -> None:
    pattern = capacity_pattern()
    assert pattern["week_nr"].tolist() == list(range(52))
    weeks_per_month = pattern.groupby("month_nr").size()
    assert weeks_per_month.index.tolist() == list(range(1, 13))
    assert set(weeks_per_month) <= {4, 5}
    assert (month_nr(0), week_of_month_nr(0)) == (1, 1)
    assert (month_nr(51), week_of_month_nr(51)) == (12, 4)


def test_capacity_is_higher_in_summer_and_lower_in_each_third_week() -> None:
    pattern = capacity_pattern().set_index("week_nr")
    assert pattern.loc[pattern["is_summer_staff"], "month_nr"].unique().tolist() == [6, 7, 8]
    assert pattern["is_filament_short"].sum() == 12
    assert (pattern.loc[pattern["is_filament_short"], "week_of_month_nr"] == 3).all()
    ordinary = pattern.loc[~pattern["is_summer_staff"] & ~pattern["is_filament_short"], "capacity_units"]
    assert set(ordinary) == {15.0}
    assert set(pattern.loc[pattern["is_summer_staff"] & ~pattern["is_filament_short"], "capacity_units"]) == {
        20.0
    }
    assert set(pattern.loc[~pattern["is_summer_staff"] & pattern["is_filament_short"], "capacity_units"]) == {
        10.0
    }
    assert set(pattern.loc[pattern["is_summer_staff"] & pattern["is_filament_short"], "capacity_units"]) == {
        15.0
    }
