-- Every raw weather row, typed, with the reason it cannot be used (null when it can). The one place
-- where weather validity is decided: stg_stations__weather_hourly keeps the good rows, the
-- quarantine the rest.
--
-- A Delta table, not a view: the staged rows, the quarantine and their tests all read the result;
-- one build checks the raw files once instead of once per reader.
{{ config(materialized='table') }}
with

source as (
    select * from {{ source('stations', 'weather') }}
),

typed as (
    select
        cast(weather_local_ts as timestamp) as weather_local_ts,
        cast(temperature_c as double) as temperature_c,
        cast(precipitation_mm as double) as precipitation_mm
    from source
),

row_checked as (
    select
        *,
        case
            when weather_local_ts is null then 'missing_hour'
            when temperature_c is null or precipitation_mm is null then 'missing_measure'
            when temperature_c not between -60 and 60 then 'impossible_temperature'
            when precipitation_mm < 0 then 'negative_precipitation'
        end as row_reason
    from typed
),

numbered as (
    select
        *,
        -- one reading per hour: of several usable readings the first by temperature counts
        row_number() over (
            partition by date_trunc('HOUR', weather_local_ts), row_reason is null
            order by weather_local_ts, temperature_c, precipitation_mm
        ) as copy_number
    from row_checked
),

final as (
    select
        weather_local_ts,
        temperature_c,
        precipitation_mm,
        coalesce(
            row_reason, if(copy_number > 1, 'duplicate_record', null)
        ) as quarantine_reason
    from numbered
)

select * from final
