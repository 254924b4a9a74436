"""Behaviour of the synthetic tick generator: determinism, schema, realism, bad rows, Parquet."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from casebook.data.ticks import (
    BAD_ROW_KINDS,
    QUOTE_COLUMNS,
    SCALES,
    TRADE_COLUMNS,
    TickScale,
    bad_row_kind_counts,
    generate_ticks,
    session_bounds_utc,
    trading_days,
    trading_halts,
    write_ticks,
)

SEED = 7


@pytest.fixture(scope="module")
def tiny() -> tuple[pd.DataFrame, pd.DataFrame]:
    return generate_ticks("tiny", SEED)


@pytest.fixture(scope="module")
def clean(tiny: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tiny frames without any injected bad row."""
    trades, quotes = tiny
    good_trades = (
        trades["symbol"].notna()
        & trades["event_ts"].notna()
        & (trades["trade_pr"] > 0)
        & (trades["trade_qty"] > 0)
        & ~trades.duplicated()
    )
    good_quotes = (
        quotes["symbol"].notna()
        & (quotes["bid_pr"] <= quotes["ask_pr"])
        & (quotes["bid_qty"] > 0)
        & (quotes["ask_qty"] > 0)
        & ~quotes.duplicated()
    )
    return trades[good_trades].reset_index(drop=True), quotes[good_quotes].reset_index(drop=True)


def _events(clean: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    """Clean trades and quotes as one event stream (symbol, event_ts, seq, kind)."""
    trades, quotes = clean
    keys = ["symbol", "event_ts", "seq"]
    return pd.concat(
        [trades[keys].assign(kind="trade"), quotes[keys].assign(kind="quote")], ignore_index=True
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- scales, API


def test_scales_define_the_documented_sizes() -> None:
    assert list(SCALES) == ["tiny", "small", "medium", "large"]
    assert SCALES["tiny"] == TickScale(3, 1, 1_500, 3.0)
    assert (SCALES["medium"].symbols, SCALES["medium"].days) == (100, 2)
    assert SCALES["medium"].expected_trades == 1_000_000
    assert (SCALES["large"].symbols, SCALES["large"].days) == (500, 5)


def test_tick_scale_is_frozen() -> None:
    with pytest.raises(AttributeError):
        SCALES["tiny"].symbols = 4  # type: ignore[misc]


def test_unknown_scale_raises_value_error_naming_valid_scales() -> None:
    with pytest.raises(ValueError, match=r"huge.*tiny, small, medium, large"):
        generate_ticks("huge", SEED)


def test_write_ticks_rejects_unknown_scale_before_touching_disk(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tiny"):
        write_ticks(tmp_path, "huge", SEED)
    assert not (tmp_path / "ticks").exists()


def test_trading_days_are_consecutive_weekdays_from_march_4_2024() -> None:
    assert trading_days(7) == [
        date(2024, 3, 4),
        date(2024, 3, 5),
        date(2024, 3, 6),
        date(2024, 3, 7),
        date(2024, 3, 8),
        date(2024, 3, 11),
        date(2024, 3, 12),
    ]


def test_session_bounds_follow_new_york_daylight_saving_time() -> None:
    assert session_bounds_utc(date(2024, 3, 8)) == (
        datetime(2024, 3, 8, 14, 30, tzinfo=UTC),
        datetime(2024, 3, 8, 21, 0, tzinfo=UTC),
    )
    # DST starts on Sunday 2024-03-10: the session moves one hour earlier in UTC.
    assert session_bounds_utc(date(2024, 3, 11))[0] == datetime(2024, 3, 11, 13, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- determinism


def test_generator_is_deterministic_for_same_seed(tiny: tuple[pd.DataFrame, ...]) -> None:
    trades, quotes = generate_ticks("tiny", SEED)
    pd.testing.assert_frame_equal(trades, tiny[0])
    pd.testing.assert_frame_equal(quotes, tiny[1])


def test_different_seeds_give_different_data(tiny: tuple[pd.DataFrame, ...]) -> None:
    trades, _ = generate_ticks("tiny", SEED + 1)
    assert set(trades["symbol"].dropna()) != set(tiny[0]["symbol"].dropna())
    assert len(trades) != len(tiny[0]) or not trades.equals(tiny[0])


# --------------------------------------------------------------------------- schema, shape


def test_frames_follow_the_shared_schema(tiny: tuple[pd.DataFrame, ...]) -> None:
    trades, quotes = tiny
    assert list(trades.columns) == TRADE_COLUMNS
    assert list(quotes.columns) == QUOTE_COLUMNS
    assert trades.dtypes.astype(str).tolist() == [
        "object", "datetime64[us, UTC]", "int64", "float64", "int64"
    ]  # fmt: skip
    assert quotes.dtypes.astype(str).tolist() == [
        "object", "datetime64[us, UTC]", "int64", "float64", "float64", "int64", "int64"
    ]  # fmt: skip


def test_symbols_are_unique_uppercase_tickers(tiny: tuple[pd.DataFrame, ...]) -> None:
    symbols = sorted(tiny[1]["symbol"].dropna().unique())
    assert len(symbols) == SCALES["tiny"].symbols
    assert all(s.isalpha() and s.isupper() and 3 <= len(s) <= 4 for s in symbols)


def test_row_counts_match_the_tiny_scale(tiny: tuple[pd.DataFrame, ...]) -> None:
    trades, quotes = tiny
    expected = SCALES["tiny"].expected_trades
    assert 0.5 * expected <= len(trades) <= 1.5 * expected
    assert 2.5 <= len(quotes) / len(trades) <= 3.5


def test_frames_are_sorted_by_symbol_time_and_seq(tiny: tuple[pd.DataFrame, ...]) -> None:
    for frame in tiny:
        ordered = frame.sort_values(["symbol", "event_ts", "seq"], na_position="last")
        assert ordered.index.tolist() == list(range(len(frame)))


# --------------------------------------------------------------------------- bad rows


def test_tiny_scale_contains_every_bad_row_kind(tiny: tuple[pd.DataFrame, ...]) -> None:
    counts = bad_row_kind_counts(*tiny)
    assert tuple(counts) == BAD_ROW_KINDS
    assert all(count >= 1 for count in counts.values()), counts


def test_bad_rows_are_a_small_share(tiny: tuple[pd.DataFrame, ...]) -> None:
    trades, quotes = tiny
    counts = bad_row_kind_counts(trades, quotes)
    bad_trades = sum(v for k, v in counts.items() if k.startswith("trade_"))
    bad_quotes = sum(v for k, v in counts.items() if k.startswith("quote_"))
    # At tiny the "at least one of each" floor dominates; the rate itself is ~0.1 %.
    assert bad_trades / len(trades) < 0.01
    assert bad_quotes / len(quotes) < 0.01


def test_each_injected_row_has_exactly_one_defect(tiny: tuple[pd.DataFrame, ...]) -> None:
    trades, quotes = tiny
    trade_flags = pd.concat(
        [
            trades["symbol"].isna(),
            trades["event_ts"].isna(),
            trades["trade_pr"] <= 0,
            trades["trade_qty"] <= 0,
            trades.duplicated(),
        ],
        axis=1,
    ).sum(axis=1)
    quote_flags = pd.concat(
        [
            quotes["symbol"].isna(),
            quotes["bid_pr"] > quotes["ask_pr"],
            (quotes["bid_qty"] <= 0) | (quotes["ask_qty"] <= 0),
            quotes.duplicated(),
        ],
        axis=1,
    ).sum(axis=1)
    assert trade_flags.max() == 1
    assert quote_flags.max() == 1


def test_null_symbol_rows_keep_a_seq_and_a_time(tiny: tuple[pd.DataFrame, ...]) -> None:
    for frame in tiny:
        nulls = frame[frame["symbol"].isna()]
        assert len(nulls) >= 1
        assert (nulls["seq"] >= 0).all()
        assert nulls["event_ts"].notna().all()


def test_duplicates_are_exact_copies_of_clean_rows(tiny: tuple[pd.DataFrame, ...]) -> None:
    trades, quotes = tiny
    dup_trades = trades[trades.duplicated(keep=False)]
    dup_quotes = quotes[quotes.duplicated(keep=False)]
    assert len(dup_trades) == 2 * bad_row_kind_counts(trades, quotes)["trade_duplicate"]
    assert (dup_trades["trade_pr"] > 0).all() and dup_trades["symbol"].notna().all()
    assert (dup_quotes["bid_pr"] < dup_quotes["ask_pr"]).all()


# --------------------------------------------------------------------------- realism


def test_quotes_are_never_crossed_except_injected_rows(tiny: tuple[pd.DataFrame, ...]) -> None:
    _, quotes = tiny
    not_clean = quotes["bid_pr"] >= quotes["ask_pr"]
    assert not_clean.sum() == bad_row_kind_counts(*tiny)["quote_crossed"]  # never locked either
    spread = quotes.loc[~not_clean, "ask_pr"] - quotes.loc[~not_clean, "bid_pr"]
    assert spread.min() >= 0.01 - 1e-9
    assert (quotes["bid_pr"] > 0).all()


def test_quotes_sit_on_the_penny_grid_with_round_lot_sizes(
    clean: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    _, quotes = clean
    cents = quotes[["bid_pr", "ask_pr"]] * 100
    assert np.allclose(cents, cents.round())
    assert (quotes["bid_qty"] % 100 == 0).all() and (quotes["ask_qty"] % 100 == 0).all()


def test_spreads_are_a_few_ticks_and_widest_in_bps_for_cheap_names(
    clean: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    _, quotes = clean
    ticks = ((quotes["ask_pr"] - quotes["bid_pr"]) * 100).round()
    assert ticks.median() <= 10
    per_symbol = (
        quotes.assign(
            mid=(quotes["ask_pr"] + quotes["bid_pr"]) / 2,
            bps=(quotes["ask_pr"] - quotes["bid_pr"]) / quotes["ask_pr"] * 1e4,
        )
        .groupby("symbol")[["mid", "bps"]]
        .median()
    )
    cheapest, dearest = per_symbol["mid"].idxmin(), per_symbol["mid"].idxmax()
    assert per_symbol.loc[cheapest, "bps"] > per_symbol.loc[dearest, "bps"]


def test_starting_prices_lie_between_5_and_500_dollars(
    clean: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    _, quotes = clean
    opening = quotes.groupby("symbol")["bid_pr"].first()
    assert opening.between(4.0, 520.0).all()


def test_events_fall_inside_the_regular_session(tiny: tuple[pd.DataFrame, ...]) -> None:
    open_utc, close_utc = session_bounds_utc(date(2024, 3, 4))
    for frame in tiny:
        ts = frame["event_ts"].dropna()
        assert ts.min() >= pd.Timestamp(open_utc)
        assert ts.max() < pd.Timestamp(close_utc)


def test_seq_orders_each_symbol_day_in_time(clean: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    events = _events(clean).sort_values(["symbol", "seq"])
    assert not events.duplicated(["symbol", "seq"]).any()
    steps = events.groupby("symbol")["event_ts"].diff().dropna()
    assert (steps >= pd.Timedelta(0)).all()
    first = events.groupby("symbol").first()
    assert (first["seq"] == 0).all() and (first["kind"] == "quote").all()


def test_quotes_and_trades_are_interleaved(clean: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    events = _events(clean).sort_values(["symbol", "seq"])
    switches = (events["kind"] != events.groupby("symbol")["kind"].shift()).sum()
    assert switches > len(clean[0])  # far from "all quotes, then all trades"


def test_some_events_share_a_timestamp(clean: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    events = _events(clean)
    share = events.duplicated(["symbol", "event_ts"]).mean()
    assert 0.01 < share < 0.2
    assert (events["event_ts"].dt.microsecond % 1000 != 0).mean() > 0.9  # microsecond stamps


def test_intraday_activity_is_u_shaped(clean: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    local = _events(clean)["event_ts"].dt.tz_convert("America/New_York")
    minute = local.dt.hour * 60 + local.dt.minute - (9 * 60 + 30)
    per_half_hour = (minute // 30).value_counts().sort_index()
    assert len(per_half_hour) == 13
    middle = per_half_hour.loc[3:9].mean()
    assert per_half_hour.loc[0] > 1.5 * middle
    assert per_half_hour.loc[12] > 1.5 * middle


def test_trades_print_at_or_inside_the_prevailing_quote(
    clean: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    trades, quotes = clean
    joined = pd.merge_asof(
        trades.sort_values("seq"),
        quotes[["symbol", "seq", "bid_pr", "ask_pr"]].sort_values("seq"),
        on="seq",
        by="symbol",
        allow_exact_matches=False,
    )
    assert joined["bid_pr"].notna().all()
    price = joined["trade_pr"]
    assert ((price >= joined["bid_pr"] - 1e-9) & (price <= joined["ask_pr"] + 1e-9)).all()
    at_touch = np.isclose(price, joined["bid_pr"]) | np.isclose(price, joined["ask_pr"])
    assert 0.8 < at_touch.mean() < 1.0
    assert np.isclose(price, joined["bid_pr"]).mean() > 0.3  # both sides trade
    assert np.isclose(price, joined["ask_pr"]).mean() > 0.3


def test_trade_sizes_mix_round_and_odd_lots_with_a_heavy_tail(
    clean: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    qty = clean[0]["trade_qty"]
    odd = qty < 100
    assert 0.1 < odd.mean() < 0.4
    assert (qty[~odd] % 100 == 0).all()
    assert qty.max() >= 20 * qty.median()


def test_mid_prices_wander_but_stay_plausible(clean: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    quotes = clean[1]
    mid = (quotes["bid_pr"] + quotes["ask_pr"]) / 2
    day_range = mid.groupby(quotes["symbol"]).agg(lambda m: m.max() / m.min() - 1)
    assert (day_range > 0.001).all() and (day_range < 0.3).all()


# --------------------------------------------------------------------------- Parquet output


def test_write_ticks_returns_row_counts_matching_generate_ticks(
    tmp_path: Path, tiny: tuple[pd.DataFrame, ...]
) -> None:
    counts = write_ticks(tmp_path, "tiny", SEED)
    assert counts == {"trades": len(tiny[0]), "quotes": len(tiny[1]), "halts": 1}


def test_write_ticks_round_trips_generate_ticks(tmp_path: Path, tiny: tuple[pd.DataFrame, ...]) -> None:
    write_ticks(tmp_path, "tiny", SEED, symbols_per_part=2)
    for name, expected in zip(("trades", "quotes"), tiny, strict=True):
        parts = sorted((tmp_path / "ticks" / name).glob("part-*.parquet"))
        assert [p.name for p in parts] == ["part-00000.parquet", "part-00001.parquet"]
        written = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        written = written.sort_values(["symbol", "event_ts", "seq"], na_position="last")
        pd.testing.assert_frame_equal(written.reset_index(drop=True), expected)


def test_write_ticks_stores_microsecond_utc_timestamps(tmp_path: Path) -> None:
    write_ticks(tmp_path, "tiny", SEED)
    schema = pq.read_schema(tmp_path / "ticks" / "trades" / "part-00000.parquet")
    assert schema.field("event_ts").type == pa.timestamp("us", tz="UTC")
    assert schema.field("symbol").type == pa.string()
    assert schema.names == TRADE_COLUMNS
    quotes = pq.read_schema(tmp_path / "ticks" / "quotes" / "part-00000.parquet")
    assert quotes.names == QUOTE_COLUMNS


def test_write_ticks_is_byte_identical_across_runs(tmp_path: Path) -> None:
    write_ticks(tmp_path / "a", "tiny", SEED)
    write_ticks(tmp_path / "b", "tiny", SEED)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.parquet"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.parquet"))
    assert files_a == files_b and len(files_a) == 3
    for relative in files_a:
        assert _sha256(tmp_path / "a" / relative) == _sha256(tmp_path / "b" / relative)


def test_write_ticks_clears_stale_parts_on_rewrite(tmp_path: Path) -> None:
    write_ticks(tmp_path, "tiny", SEED, symbols_per_part=1)
    trades_dir = tmp_path / "ticks" / "trades"
    assert len(list(trades_dir.glob("part-*.parquet"))) == 3
    (trades_dir / "stale.txt").write_text("left over")
    write_ticks(tmp_path, "tiny", SEED)
    assert sorted(p.name for p in trades_dir.iterdir()) == ["part-00000.parquet"]


def test_halts_cover_every_twentieth_symbol_for_two_minutes_at_noon_new_york() -> None:
    symbols = [f"S{i:02d}" for i in range(41)]
    halts = trading_halts(symbols, date(2024, 3, 4))
    assert halts["symbol"].tolist() == ["S00", "S20", "S40"]
    assert (halts["halt_start_ts"] == pd.Timestamp("2024-03-04 17:00", tz="UTC")).all()
    assert ((halts["halt_end_ts"] - halts["halt_start_ts"]) == pd.Timedelta(minutes=2)).all()


def test_the_first_tiny_symbol_keeps_printing_through_its_halt(tiny: tuple[pd.DataFrame, ...]) -> None:
    trades = tiny[0]
    first = trades["symbol"].dropna().min()
    halt = trading_halts([first], date(2024, 3, 4)).iloc[0]
    during = trades[
        (trades["symbol"] == first) & trades["event_ts"].between(halt.halt_start_ts, halt.halt_end_ts)
    ]
    assert len(during) > 0
