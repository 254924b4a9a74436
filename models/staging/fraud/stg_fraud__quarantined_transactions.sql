-- Raw transactions that staging refused, with the reason, so nothing is dropped silently.
with

checked_transactions as (
    select * from {{ ref('base_fraud__transactions_checked') }}
),

final as (
    select
        transaction_id,
        step,
        transaction_type,
        quarantine_reason,
        to_json(named_struct(
            'amount', amount,
            'orig_account_id', orig_account_id,
            'orig_old_balance', orig_old_balance,
            'orig_new_balance', orig_new_balance,
            'dest_account_id', dest_account_id,
            'dest_old_balance', dest_old_balance,
            'dest_new_balance', dest_new_balance,
            'is_fraud', is_fraud
        )) as record_json
    from checked_transactions
    where quarantine_reason is not null
)

select * from final
