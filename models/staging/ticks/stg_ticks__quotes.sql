with

checked_quotes as (
    select * from {{ ref('base_ticks__quotes_checked') }}
),

final as (
    select
        symbol,
        event_ts,
        seq,
        trade_date,
        loaded_at,
        bid_pr,
        ask_pr,
        bid_qty,
        ask_qty
    from checked_quotes
    where quarantine_reason is null
)

select * from final
