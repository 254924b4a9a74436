-- Raw trades, typed, with when each row's file landed. No row is dropped or judged here.
with

source as (
    select
        *,
        -- when the file holding the row landed: incremental models pick up what is new by it
        -- (_metadata is Spark's hidden struct of file facts, not a table: hence the noqa)
        _metadata.file_modification_time as loaded_at  -- noqa: RF03
    from {{ file_source(source('ticks', 'trades')) }}
),

final as (
    select
        nullif(trim(symbol), '') as symbol,
        cast(event_ts as timestamp) as event_ts,
        cast(seq as bigint) as seq,
        loaded_at,
        cast(trade_pr as double) as trade_pr,
        cast(trade_qty as bigint) as trade_qty
    from source
)

select * from final
