-- One quote per (symbol, event_ts): of the updates stamped with the same time, the one with the
-- most depth (bid + ask size), then the latest in the feed. Order-flow imbalance steps over these.
with

quotes as (
    select * from {{ ref('stg_ticks__quotes') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by symbol, event_ts
            order by bid_qty + ask_qty desc, seq desc
        ) as depth_rank
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
    where depth_rank = 1
)

select * from final
