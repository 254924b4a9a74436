-- Raw telemetry readings that staging refused, with the reason, so nothing is dropped silently.
with

checked_telemetry as (
    select * from {{ ref('base_pods__telemetry_checked') }}
),

final as (
    select
        pod_id,
        trip_id,
        event_ts,
        speed_mph,
        quarantine_reason
    from checked_telemetry
    where quarantine_reason is not null
)

select * from final
