-- Bid-ask spread at trade time per symbol, computed by a Python model and published with a contract.
with

spread_stats as (
    select * from {{ ref('int_ticks__spread_stats') }}
),

final as (
    select
        symbol,
        -- volume
        trade_count,
        quoted_trade_count,
        traded_qty,
        -- spread, basis points of the mid
        mean_spread_bps,
        median_spread_bps,
        p95_spread_bps,
        mean_quote_age_seconds,
        -- who crossed the spread
        share_at_or_above_ask,
        share_at_or_below_bid
    from spread_stats
)

select * from final
