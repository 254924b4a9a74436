-- One row per pod trip: time, distance and speeds, from the pandas-API-on-Spark model.
with

trip_stats as (
    select * from {{ ref('int_pods__trip_stats_pandas') }}
),

final as (
    select
        -- keys
        pod_id,
        trip_id,
        -- when
        trip_start_ts,
        trip_end_ts,
        -- measures
        cast(reading_count as bigint) as reading_count,
        trip_seconds,
        distance_miles,
        distance_miles * 1.609344 as distance_km,
        avg_speed_mph,
        avg_speed_kmh,
        max_speed_mph
    from trip_stats
)

select * from final
