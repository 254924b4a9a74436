-- Count and amount of transactions by rule label, per transaction type and over all types.
with

labeled as (
    select * from {{ ref('int_fraud__labeled_transactions') }}
),

by_type_and_label as (
    select
        coalesce(transaction_type, 'ALL') as transaction_type,
        rule_label,
        count(*) as transaction_count,
        sum(amount) as total_amount,
        sum(if(is_fraud, 1, 0)) as simulated_fraud_count
    from labeled
    group by grouping sets ((transaction_type, rule_label), (rule_label))
),

final as (
    select
        transaction_type,
        transaction_type = 'ALL' as is_all_types,
        rule_label,
        transaction_count,
        total_amount,
        simulated_fraud_count,
        transaction_count
        / sum(transaction_count) over (partition by transaction_type) as share_of_transactions,
        total_amount / sum(total_amount) over (partition by transaction_type) as share_of_amount
    from by_type_and_label
)

select * from final
