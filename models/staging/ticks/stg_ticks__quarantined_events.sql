-- Raw tick rows that staging refused, with the reason, so nothing is dropped silently.
with

checked_trades as (
    select * from {{ ref('base_ticks__trades_checked') }}
),

checked_quotes as (
    select * from {{ ref('base_ticks__quotes_checked') }}
),

refused_trades as (
    select
        'trades' as source_table,
        symbol,
        event_ts,
        seq,
        quarantine_reason,
        to_json(named_struct('trade_pr', trade_pr, 'trade_qty', trade_qty)) as record_json
    from checked_trades
    where quarantine_reason is not null
),

refused_quotes as (
    select
        'quotes' as source_table,
        symbol,
        event_ts,
        seq,
        quarantine_reason,
        to_json(named_struct(
            'bid_pr', bid_pr, 'ask_pr', ask_pr, 'bid_qty', bid_qty, 'ask_qty', ask_qty
        )) as record_json
    from checked_quotes
    where quarantine_reason is not null
),

final as (
    select * from refused_trades
    union all
    select * from refused_quotes
)

select * from final
