-- Order-flow-imbalance anomalies counted per symbol, trading day and block of exchange time:
-- the grid a BI heatmap draws (every block with quotes appears, with zero when calm).
with

buckets as (
    select * from {{ ref('fct_order_flow_imbalance_10s') }}
),

anomalies as (
    select * from {{ ref('fct_ofi_anomalies') }}
),

buckets_flagged as (
    select
        buckets.symbol,
        buckets.trade_date,
        window(
            {{ to_exchange_time('buckets.bucket_start_ts') }},
            '{{ var("ticks_ofi_heatmap_bucket_minutes") }} minutes'
        ).start as block_start_exchange_ts,
        anomalies.direction
    from buckets
    left join anomalies
        on
            buckets.symbol = anomalies.symbol
            and buckets.bucket_start_ts = anomalies.bucket_start_ts
),

final as (
    select
        symbol,
        trade_date,
        block_start_exchange_ts,
        count(*) as bucket_count,
        count(direction) as anomaly_count,
        count_if(direction = 'buy_pressure') as buy_pressure_count,
        count_if(direction = 'sell_pressure') as sell_pressure_count
    from buckets_flagged
    group by symbol, trade_date, block_start_exchange_ts
)

select * from final
