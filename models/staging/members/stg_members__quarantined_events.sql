-- Raw member events that staging refused, with the reason, so nothing is dropped silently.
with

checked_events as (
    select * from {{ ref('base_members__events_checked') }}
),

final as (
    select
        event_id,
        member_id,
        event_ts,
        event_type,
        product_id,
        quarantine_reason,
        to_json(named_struct(
            'session_id', session_id,
            'category', category,
            'channel', channel,
            'quantity', quantity,
            'revenue_usd', revenue_usd
        )) as record_json
    from checked_events
    where quarantine_reason is not null
)

select * from final
