-- One quote per (symbol, event_ts): of the updates stamped with the same time, the last one in the
-- feed (highest seq), i.e. the book's state after the last event at that time, as fct_trades'
-- as-of join sees it. Order-flow imbalance steps over these successive states.
with

quotes as (
    select * from {{ ref('stg_ticks__quotes') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by symbol, event_ts
            order by seq desc
        ) as feed_rank
    from quotes
),

final as (
    select
        symbol,
        event_ts,
        seq,
        trade_date,
        bid_pr,
        ask_pr,
        bid_qty,
        ask_qty
    from ranked
    where feed_rank = 1
)

select * from final
