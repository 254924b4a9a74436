"""DTW distance of every product's weekly sales to the capacity pattern, per stretch factor.

Distances run per product on Spark (applyInPandas); the z-score and the outlier flag per stretch factor.
"""

from casebook.dtw.settings import DtwSettings
from casebook.dtw.trends import dtw_distances
from casebook.settings import load


def model(dbt, session):
    dbt.config(materialized="table")
    settings = load(DtwSettings)
    sales = dbt.ref("stg_dtw__weekly_sales")
    pattern = dbt.ref("stg_dtw__capacity_pattern")
    return dtw_distances(sales, pattern, outlier_abs_zscore=settings.outlier_abs_zscore)
