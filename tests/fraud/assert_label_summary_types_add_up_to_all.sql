-- Per rule label, the types' counts and amounts add up to the ALL row.
with

summary as (
    select * from {{ ref('fct_fraud_label_summary') }}
),

all_types as (
    select * from summary
    where is_all_types
),

per_type as (
    select
        rule_label,
        sum(transaction_count) as transaction_count,
        sum(total_amount) as total_amount
    from summary
    where not is_all_types
    group by rule_label
),

final as (
    select
        per_type.rule_label,
        per_type.transaction_count,
        all_types.transaction_count as all_types_count
    from per_type
    full outer join all_types
        on per_type.rule_label = all_types.rule_label
    where
        per_type.transaction_count is distinct from all_types.transaction_count
        or abs(per_type.total_amount - all_types.total_amount)
        > 1e-6 * greatest(abs(all_types.total_amount), 1)
)

select * from final
