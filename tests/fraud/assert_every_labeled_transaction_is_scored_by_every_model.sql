-- Each tracked tree scores every labeled transaction exactly once.
with

labeled as (
    select count(*) as transaction_rows from {{ ref('int_fraud__labeled_transactions') }}
),

scored as (
    select
        model_variant,
        count(*) as transaction_rows
    from {{ ref('fct_fraud_scored_transactions') }}
    group by model_variant
),

runs as (
    select * from {{ ref('fct_fraud_model_comparison') }}
),

final as (
    select
        runs.model_variant,
        labeled.transaction_rows as labeled_rows,
        scored.transaction_rows as scored_rows
    from runs
    cross join labeled
    left join scored on runs.model_variant = scored.model_variant
    where coalesce(scored.transaction_rows, 0) != labeled.transaction_rows
)

select * from final
