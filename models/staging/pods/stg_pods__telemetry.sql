with

checked_telemetry as (
    select * from {{ ref('base_pods__telemetry_checked') }}
),

final as (
    select
        pod_id,
        trip_id,
        event_ts,
        speed_mph
    from checked_telemetry
    where quarantine_reason is null
)

select * from final
