-- Trips started per top station and hour, zero-filled over the station's own span: from its first
-- trip hour (a station opened later has no zero hours before it) to the last hour of the trip data
-- (the ingest lands one period only, so every hour of that span is covered by the files), with the
-- city's weather of that hour.
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

data_end as (
    select date_trunc('HOUR', max(start_local_ts)) as last_hour_ts
    from trips
),

station_hours as (
    select
        top_stations.station_id,
        explode(
            sequence(
                date_trunc('HOUR', top_stations.first_trip_local_ts), data_end.last_hour_ts, interval 1 hour
            )
        ) as hour_ts
    from top_stations
    cross join data_end
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
