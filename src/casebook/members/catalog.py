"""The product catalog the member events refer to: the seed seeds/members/members_product_catalog.csv.

Six categories of five products each, with a list price. Built here so the seed is reproducible
and the event generator uses exactly the same products:

    .venv/bin/python -m casebook.members.catalog > seeds/members/members_product_catalog.csv
"""

from __future__ import annotations

import sys

import pandas as pd

CATEGORIES: dict[str, list[tuple[str, float]]] = {
    "beauty": [
        ("Face serum", 24.0),
        ("Hand cream", 8.5),
        ("Lip balm", 4.0),
        ("Shampoo", 9.0),
        ("Sun lotion", 14.0),
    ],
    "books": [
        ("Cookbook", 22.0),
        ("Crime novel", 12.0),
        ("Garden guide", 18.0),
        ("Travel guide", 16.0),
        ("Word puzzles", 7.5),
    ],
    "electronics": [
        ("Charging cable", 11.0),
        ("Earbuds", 49.0),
        ("Power bank", 29.0),
        ("Smart plug", 19.0),
        ("Webcam", 59.0),
    ],
    "grocery": [
        ("Coffee beans", 12.5),
        ("Dark chocolate", 3.5),
        ("Green tea", 6.0),
        ("Olive oil", 10.0),
        ("Rolled oats", 4.5),
    ],
    "home": [
        ("Bath towel", 15.0),
        ("Candle", 9.5),
        ("Cushion", 21.0),
        ("Storage box", 13.0),
        ("Table lamp", 35.0),
    ],
    "sports": [
        ("Jump rope", 9.0),
        ("Running socks", 12.0),
        ("Water bottle", 15.0),
        ("Yoga mat", 28.0),
        ("Resistance band", 14.0),
    ],
}


def product_catalog() -> pd.DataFrame:
    """One row per product: product_id (P001..), product_name, category, list_price_usd."""
    rows = [(name, category, price) for category, products in CATEGORIES.items() for name, price in products]
    frame = pd.DataFrame(rows, columns=["product_name", "category", "list_price_usd"])
    frame.insert(0, "product_id", [f"P{i + 1:03d}" for i in range(len(frame))])
    return frame


def catalog_csv() -> str:
    """The seed file's text."""
    return product_catalog().to_csv(index=False, lineterminator="\n")


if __name__ == "__main__":
    sys.stdout.write(catalog_csv())
