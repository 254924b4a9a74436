"""PaySim-format mobile-money transactions: a deterministic generator and a loader for the real PaySim CSV.

PaySim (Lopez-Rojas, Elmir & Axelsson, "PaySim: a financial mobile money simulator for fraud detection",
EMSS 2016) logs one row per transaction with the columns step (hour of the simulation, 1..743 over 30
days), type, amount, nameOrig, oldbalanceOrg, newbalanceOrig, nameDest, oldbalanceDest, newbalanceDest,
isFraud and isFlaggedFraud. The generator follows its published behaviour at every scale:

  * the mix of types of the public log (CASH_OUT 35 %, PAYMENT 34 %, CASH_IN 22 %, TRANSFER 8 %,
    DEBIT 0.7 %), log-normal amounts per type around the log's medians, a daily rhythm over the steps;
  * customers (names C...) with log-normal balances, a third of them empty; outgoing money is taken
    from the origin balance (never below zero), CASH_IN adds to it; merchants (names M..., the
    destinations of PAYMENTs) carry no balance data (both destination balances are 0);
  * rare fraud (0.13 % of rows): a fraudster empties a victim's account with a TRANSFER (at most
    10,000,000 per transfer) to a mule account whose balances stay 0, and the mule takes the money
    out with a CASH_OUT of the same amount in the same step. A few large fraudulent transfers are
    stopped by the bank's own control: isFlaggedFraud = 1 and no balance moves.

Each row also carries `transaction_id`, its 1-based position in the log (PaySim has no key; the loader
numbers the CSV's rows the same way). Injected bad rows (staging must quarantine them), about 0.1 % of
rows per kind, at least one of each kind at every scale: an unknown or missing type, a negative
amount, a missing balance (any one of the four), and an exact duplicate delivery of a row.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from casebook.data.lake import INT32_MAX, checked_floats, checked_integers, replace_folder, write_frame
from casebook.data.scales import scale_of

__all__ = [
    "ARROW_SCHEMA",
    "BAD_ROW_KINDS",
    "PAYSIM_COLUMNS",
    "SCALES",
    "TRANSACTION_TYPES",
    "FraudScale",
    "generate_fraud",
    "ingest_paysim",
    "read_paysim",
    "write_fraud",
    "write_transactions",
]

PAYSIM_COLUMNS = [
    "step",
    "type",
    "amount",
    "nameOrig",
    "oldbalanceOrg",
    "newbalanceOrig",
    "nameDest",
    "oldbalanceDest",
    "newbalanceDest",
    "isFraud",
    "isFlaggedFraud",
]
ARROW_SCHEMA = pa.schema(
    [
        ("transaction_id", pa.int64()),
        ("step", pa.int32()),
        ("type", pa.string()),
        ("amount", pa.float64()),
        ("nameOrig", pa.string()),
        ("oldbalanceOrg", pa.float64()),
        ("newbalanceOrig", pa.float64()),
        ("nameDest", pa.string()),
        ("oldbalanceDest", pa.float64()),
        ("newbalanceDest", pa.float64()),
        ("isFraud", pa.int32()),
        ("isFlaggedFraud", pa.int32()),
    ]
)
TRANSACTION_TYPES = ("CASH_IN", "CASH_OUT", "DEBIT", "PAYMENT", "TRANSFER")
BAD_ROW_KINDS = (
    "unknown_type",  # type replaced by one PaySim never logs, or missing (the row is replaced)
    "negative_amount",  # amount negated (the row is replaced)
    "missing_balance",  # one of the four balances missing (the row is replaced)
    "duplicate_transaction",  # added exact copy of a clean row (same transaction_id)
)

# Share of each type in the public PaySim log, and the median amount of its non-fraud rows.
_TYPE_SHARE = {"CASH_IN": 0.2199, "CASH_OUT": 0.3517, "DEBIT": 0.0065, "PAYMENT": 0.3381, "TRANSFER": 0.0838}
_MEDIAN_AMOUNT = {
    "CASH_IN": 143_000.0,
    "CASH_OUT": 147_000.0,
    "DEBIT": 3_000.0,
    "PAYMENT": 9_500.0,
    "TRANSFER": 490_000.0,
}
_AMOUNT_SIGMA = {"CASH_IN": 0.9, "CASH_OUT": 1.0, "DEBIT": 1.0, "PAYMENT": 0.9, "TRANSFER": 1.1}
_MAX_AMOUNT = 10_000_000.0  # PaySim's largest single transaction (bigger frauds are split)
_FRAUD_RATE = 0.00129  # fraudulent rows in the public log
_FLAGGED_SHARE = 0.02  # large fraudulent transfers stopped by the bank's control (isFlaggedFraud)
_FLAG_MIN_AMOUNT = 200_000.0
# Origin balances per type, as in the public samples: (share exactly zero, median of the others).
_ORIGIN_BALANCE = {
    "CASH_IN": (0.02, 2_000_000.0),
    "CASH_OUT": (0.5, 30_000.0),
    "DEBIT": (0.1, 28_000.0),
    "PAYMENT": (0.3, 40_000.0),
    "TRANSFER": (0.5, 30_000.0),
}
_EMPTY_DEST_SHARE = 0.1
_DEST_LAG_SHARE = 0.25  # destination balances PaySim had not updated yet when it logged the row
_BAD_RATE = 0.001
_UNKNOWN_TYPES = ("REFUND", None, "WIRE", "")
_CHUNK_ROWS = 250_000
_STEPS_PER_DAY = 24


@dataclass(frozen=True)
class FraudScale:
    """Size of a generated log: rows over steps (hours)."""

    rows: int
    steps: int


SCALES: dict[str, FraudScale] = {
    "tiny": FraudScale(rows=3_000, steps=24),
    "small": FraudScale(rows=100_000, steps=743),
    "medium": FraudScale(rows=1_000_000, steps=743),
    "large": FraudScale(rows=6_362_620, steps=743),  # the size of the public PaySim log
}


# --------------------------------------------------------------------------- public API


def generate_fraud(scale: str, seed: int) -> pd.DataFrame:
    """The whole raw transactions table of a scale (clean rows plus injected bad rows). Up to `medium`."""
    return pd.concat(list(_iter_chunks(scale_of(SCALES, scale, "fraud"), seed)), ignore_index=True)


def write_fraud(raw_dir: Path, scale: str, seed: int) -> dict[str, int]:
    """Write raw_dir/fraud/transactions/part-NNNNN.parquet (250,000 rows a part); return the row count."""
    chunks = _iter_chunks(scale_of(SCALES, scale, "fraud"), seed)
    return {"transactions": write_transactions(chunks, Path(raw_dir))}


_PAYSIM_INTEGERS = frozenset({"step", "isFraud", "isFlaggedFraud"})


def read_paysim(path: Path) -> pd.DataFrame:
    """A real PaySim CSV (plain or .gz) as raw rows: the PaySim columns plus transaction_id (row order).

    Flags stored as 0.0/1.0 (as in some published samples) become integers; empty cells, numbers that
    do not parse, infinite amounts and steps or flags beyond the 32-bit range become nulls, which
    staging quarantines (never a wrapped value). The type is kept as written.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    missing = [column for column in PAYSIM_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"{path} is not a PaySim log: it lacks the columns {missing}")
    numbers = {
        column: checked_integers(frame[column], -INT32_MAX, INT32_MAX).astype("Int32")
        if column in _PAYSIM_INTEGERS
        else checked_floats(frame[column])
        for column in PAYSIM_COLUMNS
        if column not in ("type", "nameOrig", "nameDest")
    }
    result = pd.DataFrame(
        {
            "transaction_id": np.arange(1, len(frame) + 1, dtype=np.int64),
            **{column: numbers.get(column, frame[column]) for column in PAYSIM_COLUMNS},
        }
    )
    return result


def ingest_paysim(path: Path, raw: Path) -> dict[str, int]:
    """`casebook data ingest paysim PATH`: a real PaySim CSV becomes the fraud source (replacing it)."""
    frame = read_paysim(path)
    chunks = (frame.iloc[start : start + _CHUNK_ROWS] for start in range(0, max(len(frame), 1), _CHUNK_ROWS))
    return {"transactions": write_transactions(chunks, raw)}


def write_transactions(chunks: Iterator[pd.DataFrame], raw: Path) -> int:
    """Write frames of raw rows as the part files of raw/fraud/transactions; return the row count."""
    folder = Path(raw) / "fraud" / "transactions"
    replace_folder(folder)
    rows = 0
    for part, chunk in enumerate(chunks):
        write_frame(chunk[ARROW_SCHEMA.names], folder, part, schema=ARROW_SCHEMA)
        rows += len(chunk)
    return rows


# --------------------------------------------------------------------------- generation


def _iter_chunks(scale: FraudScale, seed: int) -> Iterator[pd.DataFrame]:
    """Yield the log in chunks of consecutive steps; a chunk depends only on (scale, seed, its index)."""
    chunks = max(1, math.ceil(scale.rows / _CHUNK_ROWS))
    step_bounds = np.linspace(1, scale.steps + 1, chunks + 1).round().astype(int)
    row_bounds = np.linspace(0, scale.rows, chunks + 1).round().astype(int)
    for index, child in enumerate(np.random.SeedSequence(seed).spawn(chunks)):
        rng = np.random.default_rng(child)
        clean = _clean_rows(
            rng,
            rows=int(row_bounds[index + 1] - row_bounds[index]),
            first_step=int(step_bounds[index]),
            last_step=int(step_bounds[index + 1] - 1),
            first_id=int(row_bounds[index]) + 1,
        )
        yield _inject_bad_rows(rng, clean, ensure_every_kind=index == 0)


def _steps(rng: np.random.Generator, count: int, first: int, last: int) -> np.ndarray:
    """Sorted steps in [first, last], busier in the day than at night (PaySim's daily rhythm)."""
    hours = np.arange(first, last + 1)
    hour_of_day = (hours - 1) % _STEPS_PER_DAY
    weight = 0.15 + np.clip(np.sin(np.pi * (hour_of_day - 6) / 16), 0, None)
    return np.sort(rng.choice(hours, size=count, p=weight / weight.sum()))


def _names(rng: np.random.Generator, prefix: str, count: int) -> np.ndarray:
    digits = rng.integers(100_000_000, 2_000_000_000, count)
    return np.array([f"{prefix}{number}" for number in digits], dtype=object)


def _balances(rng: np.random.Generator, count: int, empty_share: float, median: float) -> np.ndarray:
    """Account balances: log-normal (heavy tail), a share of them exactly zero, rounded to cents."""
    balance = np.round(np.clip(rng.lognormal(math.log(median), 1.5, count), 0, 5e7), 2)
    balance[rng.random(count) < empty_share] = 0.0
    return balance


def _clean_rows(
    rng: np.random.Generator, rows: int, first_step: int, last_step: int, first_id: int
) -> pd.DataFrame:
    """`rows` valid transactions over the steps: normal traffic with fraud pairs placed among it."""
    pairs = max(int(rng.binomial(rows // 2, _FRAUD_RATE)), 1 if rows >= 100 else 0)
    normal = _normal_rows(rng, rows - 2 * pairs)
    fraud = _fraud_rows(rng, pairs)
    # Each fraud pair shares a step; the log is in step order, the pair's CASH_OUT right after its TRANSFER.
    normal["step"] = _steps(rng, len(normal), first_step, last_step)
    fraud["step"] = np.repeat(_steps(rng, pairs, first_step, last_step), 2)
    normal["order"] = np.arange(len(normal)) * 2.0
    fraud["order"] = np.sort(rng.uniform(0, max(len(normal), 1) * 2.0, pairs)).repeat(2) + np.tile(
        [0.5, 0.7], pairs
    )
    log = pd.concat([normal, fraud], ignore_index=True).sort_values(["step", "order"], kind="stable")
    log = log.drop(columns="order").reset_index(drop=True)
    log.insert(0, "transaction_id", np.arange(first_id, first_id + len(log), dtype=np.int64))
    return log.astype({"step": "int32", "isFraud": "int32", "isFlaggedFraud": "int32"})


def _normal_rows(rng: np.random.Generator, count: int) -> pd.DataFrame:
    """Legitimate transactions: type mix, amounts per type and the balance bookkeeping of PaySim."""
    types = np.array(list(_TYPE_SHARE), dtype=object)
    shares = np.array(list(_TYPE_SHARE.values()))
    kind = rng.choice(types, size=count, p=shares / shares.sum())
    median = np.array([_MEDIAN_AMOUNT[k] for k in kind])
    sigma = np.array([_AMOUNT_SIGMA[k] for k in kind])
    amount = np.round(np.clip(median * rng.lognormal(0.0, sigma), 1.0, _MAX_AMOUNT), 2)

    old_orig = np.zeros(count)
    for name, (empty_share, median_balance) in _ORIGIN_BALANCE.items():
        of_type = kind == name
        old_orig[of_type] = _balances(rng, int(of_type.sum()), empty_share, median_balance)
    cash_in = kind == "CASH_IN"
    new_orig = np.where(cash_in, old_orig + amount, np.maximum(old_orig - amount, 0.0))

    merchant = kind == "PAYMENT"
    old_dest = np.where(merchant, 0.0, _balances(rng, count, _EMPTY_DEST_SHARE, 150_000.0))
    lagged = rng.random(count) < _DEST_LAG_SHARE
    moved = np.where(cash_in, np.maximum(old_dest - amount, 0.0), old_dest + amount)
    new_dest = np.where(merchant, 0.0, np.where(lagged, old_dest, moved))
    return pd.DataFrame(
        {
            "type": kind,
            "amount": amount,
            "nameOrig": _names(rng, "C", count),
            "oldbalanceOrg": old_orig,
            "newbalanceOrig": np.round(new_orig, 2),
            "nameDest": np.where(merchant, _names(rng, "M", count), _names(rng, "C", count)),
            "oldbalanceDest": old_dest,
            "newbalanceDest": np.round(new_dest, 2),
            "isFraud": 0,
            "isFlaggedFraud": 0,
        }
    )


def _fraud_rows(rng: np.random.Generator, pairs: int) -> pd.DataFrame:
    """Fraud as PaySim simulates it: TRANSFER of the victim's money to a mule, then the mule's CASH_OUT."""
    victim_balance = np.round(np.clip(rng.lognormal(math.log(400_000.0), 1.6, pairs), 100.0, 5e7), 2)
    amount = np.minimum(victim_balance, _MAX_AMOUNT)
    flagged = (amount > _FLAG_MIN_AMOUNT) & (rng.random(pairs) < _FLAGGED_SHARE)
    mules = _names(rng, "C", pairs)
    cash_out_dest_old = _balances(rng, pairs, _EMPTY_DEST_SHARE, 150_000.0)
    transfer = pd.DataFrame(
        {
            "type": "TRANSFER",
            "amount": amount,
            "nameOrig": _names(rng, "C", pairs),
            "oldbalanceOrg": victim_balance,
            # A flagged transfer is stopped: no balance moves.
            "newbalanceOrig": np.where(flagged, victim_balance, np.round(victim_balance - amount, 2)),
            "nameDest": mules,
            "oldbalanceDest": 0.0,
            "newbalanceDest": 0.0,
            "isFraud": 1,
            "isFlaggedFraud": flagged.astype(int),
        }
    )
    cash_out = pd.DataFrame(
        {
            "type": "CASH_OUT",
            "amount": amount,
            "nameOrig": mules,
            "oldbalanceOrg": amount,
            "newbalanceOrig": 0.0,
            "nameDest": _names(rng, "C", pairs),
            "oldbalanceDest": cash_out_dest_old,
            "newbalanceDest": np.round(cash_out_dest_old + amount, 2),
            "isFraud": 1,
            "isFlaggedFraud": 0,
        }
    )
    # Interleave: TRANSFER, CASH_OUT, TRANSFER, CASH_OUT, ...
    pair_rows = pd.concat([transfer, cash_out]).sort_index(kind="stable")
    return pair_rows.reset_index(drop=True)


# --------------------------------------------------------------------------- bad rows


def _inject_bad_rows(
    rng: np.random.Generator, clean: pd.DataFrame, *, ensure_every_kind: bool
) -> pd.DataFrame:
    """Replace some rows by defective ones (type, amount, balance) and append duplicate deliveries."""
    log = clean.copy()
    log["type"] = log["type"].astype(object)
    counts = {
        kind: max(int(rng.binomial(len(log), _BAD_RATE)), int(ensure_every_kind)) for kind in BAD_ROW_KINDS
    }
    replaced = counts["unknown_type"] + counts["negative_amount"] + counts["missing_balance"]
    picked = rng.choice(len(log), size=min(replaced, len(log)), replace=False)
    unknown, negative, missing = np.split(
        picked, [counts["unknown_type"], counts["unknown_type"] + counts["negative_amount"]]
    )
    log.loc[unknown, "type"] = [_UNKNOWN_TYPES[i % len(_UNKNOWN_TYPES)] for i in range(len(unknown))]
    log.loc[negative, "amount"] = -log.loc[negative, "amount"].abs() - 1.0
    balance_columns = ["oldbalanceOrg", "newbalanceOrig", "oldbalanceDest", "newbalanceDest"]
    for i, row in enumerate(missing):
        log.loc[row, balance_columns[i % len(balance_columns)]] = np.nan
    untouched = np.setdiff1d(np.arange(len(log)), picked)
    copied = rng.choice(untouched, size=min(counts["duplicate_transaction"], len(untouched)), replace=False)
    duplicates = log.iloc[np.sort(copied)]
    return pd.concat([log, duplicates], ignore_index=True)
