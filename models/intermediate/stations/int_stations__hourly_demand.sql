-- Trips started per top station and hour, zero-filled: every hour from the first to the last hour of
-- the trip history has a row for every top station, with the city's weather of that hour.
with

trips as (
    select * from {{ ref('stg_stations__trips') }}
),

top_stations as (
    select * from {{ ref('int_stations__top_stations') }}
),

weather as (
    select * from {{ ref('stg_stations__weather_hourly') }}
),

hour_range as (
    select
        date_trunc('HOUR', min(start_local_ts)) as first_hour_ts,
        date_trunc('HOUR', max(start_local_ts)) as last_hour_ts
    from trips
),

hours as (
    select explode(sequence(first_hour_ts, last_hour_ts, interval 1 hour)) as hour_ts
    from hour_range
),

station_hours as (
    select
        top_stations.station_id,
        hours.hour_ts
    from top_stations
    cross join hours
),

trips_per_hour as (
    select
        start_station_id as station_id,
        date_trunc('HOUR', start_local_ts) as hour_ts,
        count(*) as trip_count
    from trips
    group by start_station_id, date_trunc('HOUR', start_local_ts)
),

final as (
    select
        station_hours.station_id,
        station_hours.hour_ts,
        coalesce(trips_per_hour.trip_count, 0) as actual_trips,
        weather.temperature_c,
        weather.precipitation_mm
    from station_hours
    left join trips_per_hour
        on
            station_hours.station_id = trips_per_hour.station_id
            and station_hours.hour_ts = trips_per_hour.hour_ts
    left join weather
        on station_hours.hour_ts = weather.weather_hour_ts
)

select * from final
