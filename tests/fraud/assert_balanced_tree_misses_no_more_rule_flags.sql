-- Undersampling is meant to catch more of the rule-flagged cases: the balanced tree misses no more
-- rule-flagged test transactions than the imbalanced one. A warning, not an error: it is a property
-- of the data and the trees, which a build on other data should report rather than refuse.
{{ config(severity='warn') }}

with

runs as (
    select * from {{ ref('fct_fraud_model_comparison') }}
),

final as (
    select
        balanced.test_false_negatives as balanced_false_negatives,
        imbalanced.test_false_negatives as imbalanced_false_negatives
    from runs as balanced
    cross join runs as imbalanced
    where
        balanced.model_variant = 'balanced'
        and imbalanced.model_variant = 'imbalanced'
        and balanced.test_false_negatives > imbalanced.test_false_negatives
)

select * from final
