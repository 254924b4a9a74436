-- The SQL twin of int_pods__trip_stats_pandas: one row per (pod, trip), with window functions.
with

telemetry as (
    select * from {{ ref('stg_pods__telemetry') }}
),

readings_with_previous as (
    select
        pod_id,
        trip_id,
        event_ts,
        speed_mph,
        -- microseconds since the epoch: whole numbers, so time differences are exact
        unix_micros(event_ts) as event_us,
        lag(unix_micros(event_ts)) over trip_readings as previous_event_us,
        lag(speed_mph) over trip_readings as previous_speed_mph
    from telemetry
    window trip_readings as (partition by pod_id, trip_id order by event_ts)
),

steps as (
    select
        *,
        -- trapezoid rule: the mean of the two speeds over the time between the readings
        (previous_speed_mph + speed_mph) / 2 * ((event_us - previous_event_us) / 1e6) / 3600.0 as step_miles
    from readings_with_previous
),

trips as (
    select
        pod_id,
        trip_id,
        min(event_ts) as trip_start_ts,
        max(event_ts) as trip_end_ts,
        count(*) as reading_count,
        (max(event_us) - min(event_us)) / 1e6 as trip_seconds,
        coalesce(sum(step_miles), 0.0) as distance_miles,
        max(speed_mph) as max_speed_mph
    from steps
    group by pod_id, trip_id
),

final as (
    select
        pod_id,
        trip_id,
        trip_start_ts,
        trip_end_ts,
        reading_count,
        trip_seconds,
        distance_miles,
        if(trip_seconds > 0, distance_miles / (trip_seconds / 3600.0), null) as avg_speed_mph,
        -- 1 mile = 1.609344 km
        if(trip_seconds > 0, distance_miles / (trip_seconds / 3600.0), null) * 1.609344 as avg_speed_kmh,
        max_speed_mph
    from trips
)

select * from final
