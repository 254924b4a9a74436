-- Every raw transaction, typed and renamed, with the reason it cannot be used (null when it can). The one
-- place where transaction validity is decided: stg_fraud__transactions keeps the good rows, the quarantine
-- the rest.
--
-- A Delta table, not a view: the staged rows, the quarantine and their tests all read the result;
-- one build checks the raw files once instead of once per reader.
{{ config(materialized='table') }}
with

source as (
    select * from {{ source('fraud', 'transactions') }}
),

transaction_types as (
    select * from {{ ref('fraud_transaction_types') }}
),

typed as (
    select
        cast(transaction_id as bigint) as transaction_id,
        cast(step as int) as step,
        upper(nullif(trim(type), '')) as transaction_type,
        cast(amount as double) as amount,
        nullif(trim(nameorig), '') as orig_account_id,
        cast(oldbalanceorg as double) as orig_old_balance,
        cast(newbalanceorig as double) as orig_new_balance,
        nullif(trim(namedest), '') as dest_account_id,
        cast(oldbalancedest as double) as dest_old_balance,
        cast(newbalancedest as double) as dest_new_balance,
        coalesce(cast(isfraud as int) = 1, false) as is_fraud,
        coalesce(cast(isflaggedfraud as int) = 1, false) as is_flagged_fraud
    from source
),

row_checked as (
    select
        typed.*,
        case
            when typed.transaction_id is null or typed.step is null then 'missing_key'
            when transaction_types.transaction_type is null then 'unknown_type'
            when typed.amount is null then 'missing_amount'
            when typed.amount < 0 then 'negative_amount'
            when
                typed.orig_old_balance is null
                or typed.orig_new_balance is null
                or typed.dest_old_balance is null
                or typed.dest_new_balance is null
                then 'missing_balance'
            when
                typed.orig_old_balance < 0
                or typed.orig_new_balance < 0
                or typed.dest_old_balance < 0
                or typed.dest_new_balance < 0
                then 'negative_balance'
        end as row_reason
    from typed
    left join transaction_types
        on typed.transaction_type = transaction_types.transaction_type
),

numbered as (
    select
        *,
        -- a transaction delivered twice: the first usable copy counts, the others are quarantined
        row_number() over (
            partition by transaction_id, row_reason is null
            order by step, amount, orig_account_id, dest_account_id
        ) as copy_number
    from row_checked
),

final as (
    select
        transaction_id,
        step,
        transaction_type,
        amount,
        orig_account_id,
        orig_old_balance,
        orig_new_balance,
        dest_account_id,
        dest_old_balance,
        dest_new_balance,
        is_fraud,
        is_flagged_fraud,
        coalesce(row_reason, if(copy_number > 1, 'duplicate_transaction', null)) as quarantine_reason
    from numbered
)

select * from final
