with

checked_transactions as (
    select * from {{ ref('base_fraud__transactions_checked') }}
),

final as (
    select
        -- keys
        transaction_id,
        step,
        transaction_type,
        orig_account_id,
        dest_account_id,
        -- measures
        amount,
        orig_old_balance,
        orig_new_balance,
        dest_old_balance,
        dest_new_balance,
        -- what the simulation knew
        is_fraud,
        is_flagged_fraud
    from checked_transactions
    where quarantine_reason is null
)

select * from final
