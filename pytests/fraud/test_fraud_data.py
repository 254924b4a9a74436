"""The PaySim-format generator and the real-PaySim loader: determinism, PaySim's behaviour, bad rows, and the
seed's rule labels on the real head sample (DuckDB as the oracle)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from casebook.data.fraud import (
    ARROW_SCHEMA,
    PAYSIM_COLUMNS,
    TRANSACTION_TYPES,
    generate_fraud,
    ingest_paysim,
    read_paysim,
    write_fraud,
)
from casebook.data.registry import INGESTERS, ingester
from pytests.fraud.paysim_oracle import duckdb_rule_shares, paysim_head

SEED = 42
BALANCES = ["oldbalanceOrg", "newbalanceOrig", "oldbalanceDest", "newbalanceDest"]


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return generate_fraud("small", SEED)


def _clean(log: pd.DataFrame) -> pd.DataFrame:
    usable = log["type"].isin(TRANSACTION_TYPES) & (log["amount"] >= 0) & log[BALANCES].notna().all(axis=1)
    return log[usable & ~log.duplicated()]


def test_same_seed_gives_identical_rows_and_another_seed_differs() -> None:
    first = generate_fraud("tiny", SEED)
    pd.testing.assert_frame_equal(first, generate_fraud("tiny", SEED))
    assert not first["amount"].equals(generate_fraud("tiny", SEED + 1)["amount"])


def test_the_type_mix_and_amounts_follow_the_public_paysim_log(small: pd.DataFrame) -> None:
    clean = _clean(small)
    shares = clean["type"].value_counts(normalize=True)
    expected = {"CASH_OUT": 0.352, "PAYMENT": 0.338, "CASH_IN": 0.220, "TRANSFER": 0.084, "DEBIT": 0.0065}
    for kind, share in expected.items():
        assert shares[kind] == pytest.approx(share, abs=0.01)
    medians = clean[clean["isFraud"] == 0].groupby("type")["amount"].median()
    assert medians["PAYMENT"] < medians["CASH_OUT"] < medians["TRANSFER"]
    assert clean["amount"].max() <= 10_000_000
    assert clean["step"].between(1, 743).all() and clean["step"].is_monotonic_increasing


def test_merchants_carry_no_balance_and_money_moves_as_paysim_books_it(small: pd.DataFrame) -> None:
    clean = _clean(small)
    payments = clean[clean["type"] == "PAYMENT"]
    assert payments["nameDest"].str.startswith("M").all()
    assert (payments[["oldbalanceDest", "newbalanceDest"]] == 0).all().all()
    assert clean.loc[clean["type"] != "PAYMENT", "nameDest"].str.startswith("C").all()
    normal = clean[clean["isFraud"] == 0]
    outgoing = normal[normal["type"] != "CASH_IN"]
    expected = np.maximum(outgoing["oldbalanceOrg"] - outgoing["amount"], 0)
    np.testing.assert_allclose(outgoing["newbalanceOrig"], expected, atol=0.011)
    cash_in = normal[normal["type"] == "CASH_IN"]
    np.testing.assert_allclose(
        cash_in["newbalanceOrig"], cash_in["oldbalanceOrg"] + cash_in["amount"], atol=0.011
    )
    assert (normal["oldbalanceOrg"] == 0).mean() > 0.2  # many empty accounts, as in the public log


def test_fraud_is_rare_and_is_a_transfer_to_a_mule_who_cashes_out(small: pd.DataFrame) -> None:
    clean = _clean(small)
    fraud = clean[clean["isFraud"] == 1]
    assert 0.0005 < len(fraud) / len(clean) < 0.003
    assert set(fraud["type"]) == {"TRANSFER", "CASH_OUT"}
    positions = clean.index.get_indexer(fraud[fraud["type"] == "TRANSFER"].index)
    for position in positions:
        transfer, cash_out = clean.iloc[position], clean.iloc[position + 1]
        assert cash_out["type"] == "CASH_OUT" and cash_out["isFraud"] == 1
        assert cash_out["nameOrig"] == transfer["nameDest"]
        assert (cash_out["amount"], cash_out["step"]) == (transfer["amount"], transfer["step"])
        assert transfer["oldbalanceDest"] == transfer["newbalanceDest"] == 0
    assert (clean.loc[clean["isFlaggedFraud"] == 1, "type"] == "TRANSFER").all()


def test_the_seed_rules_flag_a_few_percent_as_on_the_full_paysim_log(small: pd.DataFrame) -> None:
    row_share, amount_share, _ = duckdb_rule_shares(_clean(small))
    assert 0.02 < row_share < 0.07  # the seed reports about 4 % of the full log
    assert 0.08 < amount_share < 0.2  # and about 11 % of its amount


def test_every_bad_row_kind_is_injected_at_tiny_scale() -> None:
    log = generate_fraud("tiny", SEED)
    assert (~log["type"].isin(TRANSACTION_TYPES)).sum() >= 1
    assert (log["amount"] < 0).sum() >= 1
    assert log[BALANCES].isna().any(axis=1).sum() >= 1
    assert log.duplicated().sum() >= 1
    assert log["transaction_id"].duplicated().sum() == log.duplicated().sum()
    assert 2_000 <= len(log) <= 5_000  # tiny stays a few thousand rows (the CV must be cheap in CI)


def test_written_parts_have_the_paysim_schema(tmp_path: Path) -> None:
    counts = write_fraud(tmp_path, "tiny", SEED)
    table = pq.read_table(tmp_path / "fraud" / "transactions")
    assert table.num_rows == counts["transactions"]
    assert table.schema.names == ARROW_SCHEMA.names
    assert [column for column in table.schema.names if column != "transaction_id"] == PAYSIM_COLUMNS


def test_loader_numbers_rows_and_reads_float_flags_and_empty_cells(tmp_path: Path) -> None:
    csv = tmp_path / "sample.csv"
    csv.write_text(
        ",".join(PAYSIM_COLUMNS)
        + "\n1,PAYMENT,9839.64,C1,170136.0,160296.36,M1,0.0,0.0,0.0,0.0"
        + "\n1,TRANSFER,181.0,C2,181.0,0.0,C3,,0.0,1.0,0.0"
        + "\n2,CASH_OUT,oops,C4,181.0,0.0,C5,21182.0,0.0,1.0,0.0\n"
    )
    frame = read_paysim(csv)
    assert frame["transaction_id"].tolist() == [1, 2, 3]
    assert frame["isFraud"].tolist() == [0, 1, 1]
    assert pd.isna(frame.loc[1, "oldbalanceDest"]) and pd.isna(frame.loc[2, "amount"])
    with pytest.raises(ValueError, match="lacks the columns"):
        bad = tmp_path / "bad.csv"
        bad.write_text("step,type\n1,PAYMENT\n")
        read_paysim(bad)


def test_ingest_paysim_is_registered_for_the_fraud_domain(tmp_path: Path) -> None:
    domain, land = ingester("paysim")
    assert domain == "fraud" and INGESTERS["paysim"][0] == "fraud"
    assert land is ingest_paysim
    counts = land(paysim_head(), tmp_path)
    assert counts == {"transactions": 19_999}
    landed = pq.read_table(tmp_path / "fraud" / "transactions").to_pandas()
    assert landed["transaction_id"].is_monotonic_increasing


def test_the_seed_rules_flag_287_percent_of_rows_and_1195_percent_of_amount_on_the_head_sample() -> None:
    frame = read_paysim(paysim_head())
    raw = pd.read_csv(paysim_head())  # the oracle reads the file itself, not through the loader
    assert len(frame) == len(raw) == 19_999
    row_share, amount_share, flagged = duckdb_rule_shares(raw)
    assert flagged == 573
    assert round(100 * row_share, 2) == 2.87
    assert round(100 * amount_share, 2) == 11.95
    assert duckdb_rule_shares(frame) == (row_share, amount_share, flagged)
