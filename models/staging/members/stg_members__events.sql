with

checked_events as (
    select * from {{ ref('base_members__events_checked') }}
),

final as (
    select
        event_id,
        session_id,
        member_id,
        event_ts,
        event_type,
        product_id,
        category,
        channel,
        quantity,
        revenue_usd
    from checked_events
    where quarantine_reason is null
)

select * from final
