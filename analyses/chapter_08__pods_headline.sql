-- Chapter 8 (pod trips): the distribution of trip time, distance and speeds over all trips.
with

trip_summary as (
    select * from {{ ref('fct_pod_trip_summary') }}
),

final as (
    select
        metric_name,
        trip_count,
        mean_value,
        std_value,
        min_value,
        p50_value,
        max_value
    from trip_summary
)

select * from final
order by metric_name
