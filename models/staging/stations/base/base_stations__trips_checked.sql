-- Every raw trip, typed, with the reason it cannot be used (null when it can). The one place where
-- trip validity is decided: stg_stations__trips keeps the good rows, the quarantine the rest.
--
-- A Delta table, not a view: the staged rows, the quarantine and their tests all read the result;
-- one build checks the raw files once instead of once per reader.
{{ config(materialized='table') }}
with

source as (
    select * from {{ source('stations', 'trips') }}
),

typed as (
    select
        nullif(trim(start_station_id), '') as start_station_id,
        nullif(trim(start_station_name), '') as start_station_name,
        nullif(trim(end_station_id), '') as end_station_id,
        nullif(trim(end_station_name), '') as end_station_name,
        cast(bike_id as bigint) as bike_id,
        nullif(trim(user_type), '') as user_type,
        -- wall-clock times; the session time zone is UTC, so the values read as written
        cast(start_local_ts as timestamp) as start_local_ts,
        cast(stop_local_ts as timestamp) as stop_local_ts,
        cast(trip_duration_s as bigint) as trip_duration_s
    from source
),

row_checked as (
    select
        *,
        case
            when start_local_ts is null or start_station_id is null then 'missing_key'
            when stop_local_ts < start_local_ts then 'stop_before_start'
        end as row_reason
    from typed
),

numbered as (
    select
        *,
        -- a bike starts one trip at a time: later copies of (bike, start time) are duplicate deliveries
        row_number() over (
            partition by bike_id, start_local_ts, row_reason is null
            order by start_station_id, stop_local_ts
        ) as copy_number
    from row_checked
),

final as (
    select
        start_station_id,
        start_station_name,
        end_station_id,
        end_station_name,
        bike_id,
        user_type,
        start_local_ts,
        stop_local_ts,
        trip_duration_s,
        coalesce(
            row_reason, if(copy_number > 1 and bike_id is not null, 'duplicate_record', null)
        ) as quarantine_reason
    from numbered
)

select * from final
