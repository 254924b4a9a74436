-- describe() over all pod trips: one row per trip measure, from the pandas-API-on-Spark model.
with

summary as (
    select * from {{ ref('int_pods__trip_stats_summary_pandas') }}
),

final as (
    select
        metric_name,
        cast(trip_count as bigint) as trip_count,
        mean_value,
        std_value,
        min_value,
        p25_value,
        p50_value,
        p75_value,
        max_value
    from summary
)

select * from final
