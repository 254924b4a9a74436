-- Every usable transaction as each tracked tree scores it, next to the experts' rule label.
with

scores as (
    select * from {{ ref('int_fraud__scored_transactions') }}
),

labeled as (
    select * from {{ ref('int_fraud__labeled_transactions') }}
),

runs as (
    select * from {{ ref('int_fraud__model_runs') }}
),

final as (
    select
        -- keys
        scores.transaction_id,
        scores.model_variant,
        labeled.step,
        labeled.transaction_type,
        labeled.data_split,
        -- the transaction
        labeled.amount,
        labeled.orig_old_balance,
        labeled.orig_new_balance,
        labeled.dest_old_balance,
        labeled.dest_new_balance,
        -- rules and model
        labeled.rule_label,
        labeled.rule_name,
        scores.fraud_probability,
        scores.predicted_label,
        scores.predicted_label = 0 and labeled.rule_label = 1 as is_missed_rule_flag,
        scores.predicted_label = 1 and labeled.rule_label = 0 as is_false_alarm,
        labeled.is_fraud,
        -- which model
        runs.registered_model_name,
        scores.model_version,
        scores.mlflow_run_id
    from scores
    inner join labeled on scores.transaction_id = labeled.transaction_id
    inner join runs on scores.model_variant = runs.model_variant
)

select * from final
