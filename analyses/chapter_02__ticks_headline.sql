-- Chapter 2 (tick data): per symbol and day, executions, VWAP, mean quoted spread at trade time and
-- the order-flow imbalance of the day. `casebook sql --file analyses/chapter_02__ticks_headline.sql`
with

trades as (
    select * from {{ ref('fct_trades') }}
),

daily_vwap as (
    select * from {{ ref('fct_vwap_1d') }}
),

minute_ofi as (
    select * from {{ ref('fct_order_flow_imbalance_1m') }}
),

trades_per_day as (
    select
        symbol,
        trade_date,
        count(*) as execution_count,
        avg(spread_pr) as mean_spread_at_trade_usd
    from trades
    group by symbol, trade_date
),

ofi_per_day as (
    select
        symbol,
        trade_date,
        count(*) as ofi_minutes,
        sum(order_flow_imbalance) as ofi_sum,
        min(order_flow_imbalance) as ofi_min,
        max(order_flow_imbalance) as ofi_max
    from minute_ofi
    group by symbol, trade_date
),

final as (
    select
        trades_per_day.symbol,
        trades_per_day.trade_date,
        trades_per_day.execution_count,
        daily_vwap.vwap_pr as session_vwap_pr,
        trades_per_day.mean_spread_at_trade_usd,
        ofi_per_day.ofi_minutes,
        ofi_per_day.ofi_sum,
        ofi_per_day.ofi_min,
        ofi_per_day.ofi_max
    from trades_per_day
    left join daily_vwap
        on
            trades_per_day.symbol = daily_vwap.symbol
            and trades_per_day.trade_date = to_date(daily_vwap.bucket_start_exchange_ts)
    left join ofi_per_day
        on
            trades_per_day.symbol = ofi_per_day.symbol
            and trades_per_day.trade_date = ofi_per_day.trade_date
)

select * from final
order by symbol, trade_date
