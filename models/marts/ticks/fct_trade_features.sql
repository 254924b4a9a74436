-- One row per valid trade with features for models: the quote in force and lagged rolling means.
with

trades as (
    select * from {{ ref('fct_trades') }}
),

-- noqa: disable=LT02
with_lagged_means as (
    select
        *,
        {%- for window_seconds in var('ticks_feature_windows_seconds') %}
        -- mean price of this symbol's trades in the {{ window_seconds }} s before this trade
        -- (range window on epoch microseconds; trades stamped with the same time are excluded)
        avg(trade_pr) over (
            partition by symbol
            order by unix_micros(event_ts)
            range between {{ window_seconds * 1000000 }} preceding and 1 preceding
        ) as mean_trade_pr_prev_{{ window_seconds }}s{{ ',' if not loop.last }}
        {%- endfor %}
    from trades
),

final as (
    select
        -- keys
        symbol,
        event_ts,
        seq,
        trade_date,
        -- the trade
        trade_pr,
        trade_qty,
        -- the quote in force (null when none, or older than ticks_quote_tolerance_seconds)
        bid_pr,
        ask_pr,
        mid_pr,
        spread_pr,
        -- lagged rolling means
        {%- for window_seconds in var('ticks_feature_windows_seconds') %}
        mean_trade_pr_prev_{{ window_seconds }}s{{ ',' if not loop.last }}
        {%- endfor %}
    from with_lagged_means
)
-- noqa: enable=LT02

select * from final
