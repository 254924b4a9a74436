"""Per-product purchase models on the member feature pivot; probabilities at the held-out and email dates.

A regularised logistic regression per product (scikit-learn inside applyInPandas) with feature
selection on held-out members (vars members_*).
"""

from casebook.members.ranking import product_scores
from casebook.members.settings import MembersSettings
from casebook.settings import load


def model(dbt, session):
    dbt.config(materialized="table")
    return product_scores(
        features=dbt.ref("fct_member_features"),
        labels=dbt.ref("int_members__purchase_labels"),
        products=dbt.ref("stg_members__products"),
        settings=load(MembersSettings).model_settings(),
    )
