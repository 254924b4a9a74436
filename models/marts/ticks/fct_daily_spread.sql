-- Bid-ask spread at trade time per symbol and trading day. Incremental like its Python source: each
-- run takes the days the source recomputed (the last stored day and later) and merges them.
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['symbol', 'trade_date'],
    on_schema_change='fail',
) }}

with

daily_spread as (
    select * from {{ ref('int_ticks__daily_spread') }}
    {% if is_incremental() %}
        where trade_date >= (select max(built_spread.trade_date) from {{ this }} as built_spread)
    {% endif %}
),

final as (
    select
        -- keys
        symbol,
        trade_date,
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
    from daily_spread
)

select * from final
