-- One row per valid trade with the NBBO quote in force when it printed (as-of join).
--
-- Incremental: a run re-joins every symbol-day that received new trades or quotes since the rows
-- it already holds (by file landing time), so a late quote corrects the trades it precedes, and
-- merges them on (symbol, event_ts, seq).
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['symbol', 'event_ts', 'seq'],
    on_schema_change='fail',
) }}

with

trades as (
    select * from {{ ref('stg_ticks__trades') }}
),

quotes as (
    select * from {{ ref('stg_ticks__quotes') }}
),

-- noqa: disable=LT02
{% if is_incremental() %}
watermark as (
    select max(inputs_loaded_at) as inputs_loaded_at from {{ this }}
),

changed_symbol_days as (
    select distinct
        symbol,
        trade_date
    from trades
    where loaded_at > (select watermark.inputs_loaded_at from watermark)
    union
    select distinct
        symbol,
        trade_date
    from quotes
    where loaded_at > (select watermark.inputs_loaded_at from watermark)
),

trades_to_join as (
    select trades.* from trades
    left semi join changed_symbol_days
        on trades.symbol = changed_symbol_days.symbol and trades.trade_date = changed_symbol_days.trade_date
),

quotes_to_join as (
    select quotes.* from quotes
    left semi join changed_symbol_days
        on quotes.symbol = changed_symbol_days.symbol and quotes.trade_date = changed_symbol_days.trade_date
),
{% else %}
trades_to_join as (
    select * from trades
),

quotes_to_join as (
    select * from quotes
),
{% endif %}
-- noqa: enable=LT02

-- the newest file behind each symbol-day: what the next incremental run compares with
inputs_landed as (
    select
        symbol,
        trade_date,
        max(loaded_at) as inputs_loaded_at
    from (
        select
            symbol,
            trade_date,
            loaded_at
        from trades_to_join
        union all
        select
            symbol,
            trade_date,
            loaded_at
        from quotes_to_join
    ) as landed
    group by symbol, trade_date
),

trades_with_quote as (
    {{ asof_join(
        left='trades_to_join',
        right='quotes_to_join',
        by='symbol, trade_date',
        left_ts='event_ts',
        right_ts='event_ts',
        right_columns={
            'quote_event_ts': 'event_ts',
            'quote_seq': 'seq',
            'bid_pr': 'bid_pr',
            'ask_pr': 'ask_pr',
            'bid_qty': 'bid_qty',
            'ask_qty': 'ask_qty',
        },
        right_order='seq',
        tolerance_seconds=var('ticks_quote_tolerance_seconds'),
    ) }}
),

final as (
    select
        -- keys
        trades_with_quote.symbol,
        trades_with_quote.event_ts,
        trades_with_quote.seq,
        trades_with_quote.trade_date,
        -- the trade
        trades_with_quote.trade_pr,
        trades_with_quote.trade_qty,
        -- the quote in force
        trades_with_quote.quote_event_ts,
        trades_with_quote.quote_seq,
        trades_with_quote.bid_pr,
        trades_with_quote.ask_pr,
        trades_with_quote.bid_qty,
        trades_with_quote.ask_qty,
        (trades_with_quote.bid_pr + trades_with_quote.ask_pr) / 2 as mid_pr,
        trades_with_quote.ask_pr - trades_with_quote.bid_pr as spread_pr,
        (unix_micros(trades_with_quote.event_ts) - unix_micros(trades_with_quote.quote_event_ts)) / 1e6
            as quote_age_seconds,
        -- lineage
        trades_with_quote.loaded_at as trade_loaded_at,
        inputs_landed.inputs_loaded_at
    from trades_with_quote
    inner join inputs_landed
        on
            trades_with_quote.symbol = inputs_landed.symbol
            and trades_with_quote.trade_date = inputs_landed.trade_date
)

select * from final
