-- Trades of the regular session only, stamped with exchange wall-clock time.
with

trades as (
    select * from {{ ref('fct_trades') }}
),

with_exchange_time as (
    select
        *,
        {{ to_exchange_time('event_ts') }} as event_exchange_ts
    from trades
),

final as (
    select * from with_exchange_time
    where {{ is_market_hours('event_exchange_ts') }}
)

select * from final
