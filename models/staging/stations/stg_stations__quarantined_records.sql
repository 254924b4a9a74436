-- Raw trips and weather rows that staging refused, with the reason, so nothing is dropped silently.
with

checked_trips as (
    select * from {{ ref('base_stations__trips_checked') }}
),

checked_weather as (
    select * from {{ ref('base_stations__weather_checked') }}
),

refused_trips as (
    select
        'trips' as source_table,
        start_station_id as station_id,
        start_local_ts as record_local_ts,
        quarantine_reason,
        to_json(named_struct(
            'bike_id', bike_id,
            'stop_local_ts', cast(stop_local_ts as string),
            'end_station_id', end_station_id,
            'trip_duration_s', trip_duration_s
        )) as record_json
    from checked_trips
    where quarantine_reason is not null
),

refused_weather as (
    select
        'weather' as source_table,
        cast(null as string) as station_id,
        weather_local_ts as record_local_ts,
        quarantine_reason,
        to_json(named_struct(
            'temperature_c', temperature_c, 'precipitation_mm', precipitation_mm
        )) as record_json
    from checked_weather
    where quarantine_reason is not null
),

final as (
    select * from refused_trips
    union all
    select * from refused_weather
)

select * from final
