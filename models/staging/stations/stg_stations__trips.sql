with

checked_trips as (
    select * from {{ ref('base_stations__trips_checked') }}
),

final as (
    select
        -- keys
        start_station_id,
        end_station_id,
        bike_id,
        -- timestamps (New York wall clock)
        start_local_ts,
        stop_local_ts,
        -- attributes
        start_station_name,
        end_station_name,
        user_type,
        trip_duration_s
    from checked_trips
    where quarantine_reason is null
)

select * from final
