"""DTW distance of every product's weekly sales to the capacity pattern, per stretch factor.

Distances run per product on Spark (applyInPandas); the z-score and the outlier flag per stretch factor.
"""

from casebook.dtw.trends import dtw_distances


def model(dbt, session):
    dbt.config(materialized="table")
    sales = dbt.ref("stg_dtw__weekly_sales")
    pattern = dbt.ref("stg_dtw__capacity_pattern")
    return dtw_distances(sales, pattern, outlier_abs_zscore=float(dbt.config.get("outlier_abs_zscore")))
