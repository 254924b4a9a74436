-- Chapter 7 (fraud): the rules' flags by transaction type (share of rows and of amount), the
-- table the chapter opens its modelling with.
with

label_summary as (
    select * from {{ ref('fct_fraud_label_summary') }}
),

final as (
    select
        transaction_type,
        transaction_count,
        total_amount,
        share_of_transactions,
        share_of_amount,
        simulated_fraud_count
    from label_summary
    where rule_label = 1
)

select * from final
order by transaction_count desc
