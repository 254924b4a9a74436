-- Every raw reading, typed, with the reason it cannot be used (null when it can). The one place where
-- reading validity is decided: stg_pods__telemetry keeps the good rows, the quarantine the rest.
--
-- A Delta table, not a view: the staged rows, the quarantine and their tests all read the result;
-- one build checks the raw files once instead of once per reader.
{{ config(materialized='table') }}
with

source as (
    select * from {{ source('pods', 'telemetry') }}
),

typed as (
    select
        nullif(trim(pod_id), '') as pod_id,
        nullif(trim(trip_id), '') as trip_id,
        cast(event_ts as timestamp) as event_ts,
        cast(speed_mph as double) as speed_mph
    from source
),

row_checked as (
    select
        *,
        case
            when pod_id is null or trip_id is null then 'missing_key'
            when event_ts is null then 'missing_event_ts'
            when speed_mph is null or isnan(speed_mph) then 'missing_speed'
            when speed_mph < 0 then 'negative_speed'
        end as row_reason
    from typed
),

numbered as (
    select
        *,
        -- one reading per (pod, trip, instant): the first usable copy counts, the others are quarantined
        row_number() over (
            partition by pod_id, trip_id, event_ts, row_reason is null
            order by speed_mph desc
        ) as copy_number
    from row_checked
),

final as (
    select
        pod_id,
        trip_id,
        event_ts,
        speed_mph,
        coalesce(row_reason, if(copy_number > 1, 'duplicate_reading', null)) as quarantine_reason
    from numbered
)

select * from final
