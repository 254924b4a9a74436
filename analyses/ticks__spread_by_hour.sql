-- How the quoted spread moves through the trading day (exchange time), per symbol.
-- Compile with `dbt compile --select ticks__spread_by_hour` and run the SQL in any client.
with

trades as (
    select * from {{ ref('fct_trades') }}
),

by_hour as (
    select
        symbol,
        hour(from_utc_timestamp(event_ts, 'America/New_York')) as exchange_hour,
        avg(spread_pr / mid_pr) * 1e4 as mean_spread_bps,
        count(*) as trade_count
    from trades
    group by symbol, hour(from_utc_timestamp(event_ts, 'America/New_York'))
)

select * from by_hour
order by symbol, exchange_hour
