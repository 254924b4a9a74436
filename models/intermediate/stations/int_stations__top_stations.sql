-- The var stations_top_n busiest stations: most trips started over the whole trip history.
with

trips as (
    select * from {{ ref('stg_stations__trips') }}
),

station_trips as (
    select
        start_station_id as station_id,
        -- a station may be renamed: its latest name
        max_by(start_station_name, start_local_ts) as station_name,
        count(*) as trip_count,
        min(start_local_ts) as first_trip_local_ts,
        max(start_local_ts) as last_trip_local_ts
    from trips
    group by start_station_id
),

ranked as (
    select
        *,
        row_number() over (order by trip_count desc, station_id asc) as busy_rank
    from station_trips
),

final as (
    select
        station_id,
        station_name,
        busy_rank,
        trip_count,
        first_trip_local_ts,
        last_trip_local_ts
    from ranked
    where busy_rank <= {{ var('stations_top_n') }}
)

select * from final
