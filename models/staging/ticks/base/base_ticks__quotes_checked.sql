-- Every raw quote with the reason it cannot be used (null when it can). The one place
-- where quote validity is decided: stg_ticks__quotes keeps the good rows, the quarantine the rest.
--
-- A Delta table, not a view: the checks sort every event of a symbol-day, and fct_trades, fct_quotes,
-- the order-flow events and the quarantine all read the result; one build computes it once.
{{ config(materialized='table') }}

with

quotes as (
    select * from {{ ref('base_ticks__quotes') }}
),

halts as (
    select * from {{ ref('stg_ticks__halts') }}
),

checked as (
    {{ feed_event_checks('quotes', 'halts', ['bid_pr', 'ask_pr', 'bid_qty', 'ask_qty']) }}
),

final as (
    select
        symbol,
        event_ts,
        seq,
        cast(to_date({{ to_exchange_time('event_ts') }}) as date) as trade_date,
        loaded_at,
        bid_pr,
        ask_pr,
        bid_qty,
        ask_qty,
        case
            when symbol is null then 'missing_symbol'
            when event_ts is null then 'missing_event_ts'
            when bid_pr is null or ask_pr is null then 'one_sided_quote'
            when bid_pr <= 0 or ask_pr <= 0 then 'non_positive_price'
            when bid_qty is null or ask_qty is null or bid_qty <= 0 or ask_qty <= 0
                then 'non_positive_size'
            when bid_pr > ask_pr then 'crossed_quote'
            when bid_pr = ask_pr then 'locked_quote'
            when copy_number > 1 then 'duplicate_event'
            when event_ts < latest_earlier_event_ts then 'out_of_order_event'
            when is_during_halt then 'during_trading_halt'
        end as quarantine_reason
    from checked
)

select * from final
