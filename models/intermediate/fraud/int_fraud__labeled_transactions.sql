-- Every usable transaction with the experts' rule label (the seed's SQL, thresholds as vars), the balance
-- differences the tree learns from, and the stable train/test split.
with

transactions as (
    select * from {{ ref('stg_fraud__transactions') }}
),

labeled as (
    select
        *,
        -- which of the seed's rules flags the transaction, in the seed's order
        case
            when
                orig_old_balance <= {{ var('fraud_rule_origin_balance') }}
                and transaction_type = 'TRANSFER'
                and dest_new_balance <= {{ var('fraud_rule_empty_dest_balance') }}
                then 'small_origin_transfer_to_empty_destination'
            when
                orig_old_balance > {{ var('fraud_rule_origin_balance') }}
                and orig_new_balance <= {{ var('fraud_rule_emptied_origin_balance') }}
                then 'large_origin_emptied'
            when
                orig_old_balance > {{ var('fraud_rule_origin_balance') }}
                and orig_new_balance > {{ var('fraud_rule_emptied_origin_balance') }}
                and amount > {{ var('fraud_rule_large_amount') }}
                then 'large_amount'
        end as rule_name
    from transactions
),

final as (
    select
        -- keys
        transaction_id,
        step,
        transaction_type,
        orig_account_id,
        dest_account_id,
        -- measures and the seed's features orgDiff and destDiff
        amount,
        orig_old_balance,
        orig_new_balance,
        dest_old_balance,
        dest_new_balance,
        orig_new_balance - orig_old_balance as orig_balance_diff,
        dest_new_balance - dest_old_balance as dest_balance_diff,
        -- labels
        if(rule_name is null, 0, 1) as rule_label,
        rule_name,
        is_fraud,
        is_flagged_fraud,
        -- a hash of (seed, id): the same split on every build, however the rows are partitioned
        if(
            pmod(xxhash64(cast({{ var('fraud_split_seed') }} as bigint), transaction_id), 10000)
            < {{ var('fraud_test_share') }} * 10000,
            'test',
            'train'
        ) as data_split
    from labeled
)

select * from final
