"""Per-product purchase models on the member feature pivot; probabilities at the held-out and email dates.

A regularised logistic regression per product (scikit-learn inside applyInPandas) with feature
selection on held-out members; the vars members_* reach it through the model's meta.
"""

from casebook.members.ranking import ModelSettings, product_scores


def model(dbt, session):
    dbt.config(materialized="table")
    settings = ModelSettings(
        regularization_c=float(dbt.config.meta_get("regularization_c")),
        min_abs_weight=float(dbt.config.meta_get("min_abs_weight")),
        selection_tolerance=float(dbt.config.meta_get("selection_tolerance")),
        validation_share=float(dbt.config.meta_get("validation_share")),
        seed=int(dbt.config.meta_get("seed")),
    )
    return product_scores(
        features=dbt.ref("fct_member_features"),
        labels=dbt.ref("int_members__purchase_labels"),
        products=dbt.ref("stg_members__products"),
        settings=settings,
    )
