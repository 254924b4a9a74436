-- Each quote's order-flow imbalance contribution e (Cont, Kukanov & Stoikov 2014): how much the
-- best bid and ask queues grew or shrank since the previous quote of the symbol that day.
--
-- A Delta table, not a view: the three order-flow bar marts, their pandas twin and the tests all read
-- it; one build runs the windows over every quote once.
{{ config(materialized='table') }}

with

quotes as (
    select * from {{ ref('int_ticks__quotes_one_per_timestamp') }}
),

with_previous as (
    select
        *,
        lag(bid_pr) over symbol_day as prev_bid_pr,
        lag(ask_pr) over symbol_day as prev_ask_pr,
        lag(bid_qty) over symbol_day as prev_bid_qty,
        lag(ask_qty) over symbol_day as prev_ask_qty
    from quotes
    window symbol_day as (partition by symbol, trade_date order by event_ts)
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
        ask_qty,
        -- e = q_bid[b >= b'] - q'_bid[b <= b'] - q_ask[a <= a'] + q'_ask[a >= a']
        case when bid_pr >= prev_bid_pr then bid_qty else 0 end
        - case when bid_pr <= prev_bid_pr then prev_bid_qty else 0 end
        - case when ask_pr <= prev_ask_pr then ask_qty else 0 end
        + case when ask_pr >= prev_ask_pr then prev_ask_qty else 0 end as ofi_contribution
    from with_previous
    -- the first quote of a symbol-day has nothing to compare with
    where prev_bid_pr is not null
)

select * from final
