-- One row per valid top-of-book quote, with mid and spread; incremental by file landing time.
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['symbol', 'event_ts', 'seq'],
    on_schema_change='fail',
) }}

with

quotes as (
    select * from {{ ref('stg_ticks__quotes') }}
    {% if is_incremental() %}
        where loaded_at > (select max(built_quotes.loaded_at) from {{ this }} as built_quotes)
    {% endif %}
),

final as (
    select
        -- keys
        symbol,
        event_ts,
        seq,
        trade_date,
        -- the book's top
        bid_pr,
        ask_pr,
        bid_qty,
        ask_qty,
        (bid_pr + ask_pr) / 2 as mid_pr,
        ask_pr - bid_pr as spread_pr,
        -- lineage
        loaded_at
    from quotes
)

select * from final
