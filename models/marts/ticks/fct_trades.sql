-- One row per valid trade with the NBBO quote in force when it printed (as-of join).
with

trades as (
    select * from {{ ref('stg_ticks__trades') }}
),

quotes as (
    select * from {{ ref('stg_ticks__quotes') }}
),

trades_with_quote as (
    {{ asof_join(
        left='trades',
        right='quotes',
        by='symbol',
        left_ts='event_ts',
        right_ts='event_ts',
        right_columns={
            'quote_event_ts': 'event_ts',
            'quote_seq': 'seq',
            'bid_pr': 'bid_pr',
            'ask_pr': 'ask_pr',
            'bid_qty': 'bid_qty',
            'ask_qty': 'ask_qty',
        },
        right_order='seq',
        tolerance_seconds=var('ticks_quote_tolerance_seconds'),
    ) }}
),

final as (
    select
        -- keys
        symbol,
        event_ts,
        seq,
        cast(to_date(event_ts) as date) as trade_date,
        -- the trade
        trade_pr,
        trade_qty,
        -- the quote in force
        quote_event_ts,
        quote_seq,
        bid_pr,
        ask_pr,
        bid_qty,
        ask_qty,
        (bid_pr + ask_pr) / 2 as mid_pr,
        ask_pr - bid_pr as spread_pr,
        (unix_micros(event_ts) - unix_micros(quote_event_ts)) / 1e6 as quote_age_seconds
    from trades_with_quote
)

select * from final
