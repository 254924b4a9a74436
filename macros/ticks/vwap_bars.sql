{#- Volume-weighted average price bars per symbol over fixed buckets of exchange time.
    `bucket` is a Spark interval string ('1 minute', '5 minutes', '1 hour', '1 day'); buckets are
    aligned to the exchange's wall clock, so a day bar is one trading day. -#}
{% macro vwap_bars(trades, bucket) %}
    with

    bucketed as (
        select
            symbol,
            window(event_exchange_ts, '{{ bucket }}').start as bucket_start_exchange_ts,
            event_ts,
            seq,
            trade_pr,
            trade_qty
        from {{ trades }}
    ),

    aggregated as (
        select
            symbol,
            bucket_start_exchange_ts,
            count(*) as trade_count,
            sum(trade_qty) as volume_qty,
            sum(trade_pr * trade_qty) as notional_usd,
            min_by(trade_pr, struct(event_ts, seq)) as open_pr,
            max(trade_pr) as high_pr,
            min(trade_pr) as low_pr,
            max_by(trade_pr, struct(event_ts, seq)) as close_pr
        from bucketed
        group by symbol, bucket_start_exchange_ts
    ),

    final as (
        select
            symbol,
            bucket_start_exchange_ts,
            to_utc_timestamp(bucket_start_exchange_ts, '{{ var("ticks_exchange_timezone") }}')
                as bucket_start_ts,
            trade_count,
            volume_qty,
            notional_usd,
            notional_usd / volume_qty as vwap_pr,
            open_pr,
            high_pr,
            low_pr,
            close_pr,
            close_pr > notional_usd / volume_qty as is_close_above_vwap,
            close_pr < notional_usd / volume_qty as is_close_below_vwap
        from aggregated
    )

    select * from final
{% endmacro %}
