with

checked_weather as (
    select * from {{ ref('base_stations__weather_checked') }}
),

final as (
    select
        date_trunc('HOUR', weather_local_ts) as weather_hour_ts,
        temperature_c,
        precipitation_mm
    from checked_weather
    where quarantine_reason is null
)

select * from final
