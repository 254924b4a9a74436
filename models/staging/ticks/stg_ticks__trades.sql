with

checked_trades as (
    select * from {{ ref('base_ticks__trades_checked') }}
),

final as (
    select
        symbol,
        event_ts,
        seq,
        trade_date,
        loaded_at,
        trade_pr,
        trade_qty
    from checked_trades
    where quarantine_reason is null
)

select * from final
