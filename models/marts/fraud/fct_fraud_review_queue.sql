-- The transactions the chosen tree is least sure about, for analysts to review first.
with

scored as (
    select * from {{ ref('fct_fraud_scored_transactions') }}
),

ranked as (
    select
        *,
        -- 0 = a coin flip, 1 = certain
        abs(fraud_probability - 0.5) * 2 as confidence,
        row_number() over (order by abs(fraud_probability - 0.5), transaction_id) as review_rank
    from scored
    where model_variant = '{{ var("fraud_review_model_variant") }}'
),

final as (
    select
        review_rank,
        transaction_id,
        model_variant,
        step,
        transaction_type,
        data_split,
        amount,
        orig_old_balance,
        orig_new_balance,
        dest_old_balance,
        dest_new_balance,
        fraud_probability,
        confidence,
        predicted_label,
        rule_label,
        rule_name,
        predicted_label != rule_label as disagrees_with_rules,
        registered_model_name,
        model_version,
        mlflow_run_id
    from ranked
    where review_rank <= {{ var('fraud_review_queue_size') }}
)

select * from final
