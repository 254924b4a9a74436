-- Ten-second order-flow-imbalance buckets outside the fitted tails, published with a contract.
with

anomalies as (
    select * from {{ ref('int_ticks__ofi_anomalies') }}
),

final as (
    select
        -- keys
        symbol,
        bucket_start_ts,
        trade_date,
        -- the bucket
        order_flow_imbalance,
        direction,
        -- the symbol's fitted distribution
        distribution,
        distribution_params,
        ks_statistic,
        lower_bound,
        upper_bound
    from anomalies
)

select * from final
