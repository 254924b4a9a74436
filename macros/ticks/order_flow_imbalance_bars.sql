{#- Order-flow imbalance summed per symbol over buckets of `bucket_seconds` (epoch-aligned, so
    buckets of whole seconds, 10 seconds or minutes line up with the exchange clock). -#}
{% macro order_flow_imbalance_bars(events, bucket_seconds) %}
    with

    bucketed as (
        select
            symbol,
            trade_date,
            timestamp_micros(
                floor(unix_micros(event_ts) / {{ bucket_seconds * 1000000 }})
                * {{ bucket_seconds * 1000000 }}
            ) as bucket_start_ts,
            ofi_contribution
        from {{ events }}
    ),

    final as (
        select
            symbol,
            bucket_start_ts,
            trade_date,
            {{ bucket_seconds }} as bucket_seconds,
            count(*) as quote_update_count,
            cast(sum(ofi_contribution) as bigint) as order_flow_imbalance
        from bucketed
        group by symbol, bucket_start_ts, trade_date
    )

    select * from final
{% endmacro %}
