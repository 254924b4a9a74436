-- depends_on: {{ ref('members_product_catalog') }}
-- One row per member and as-of date: event counts per look-back window x event type x category,
-- pivoted wide. The column list comes from the members_feature_pivot macro (vars x catalog seed).
{%- set longest_window_days = var('members_feature_windows_days') | max %}
with

events as (
    select * from {{ ref('stg_members__events') }}
),

as_of_dates as (
    select * from {{ ref('int_members__as_of_dates') }}
),

known_members as (
    -- every member with an event before the as-of date gets a row, active in the windows or not
    select
        as_of_dates.sample_role,
        as_of_dates.as_of_date,
        events.member_id
    from as_of_dates
    inner join events on to_date(events.event_ts) < as_of_dates.as_of_date
    group by
        as_of_dates.sample_role,
        as_of_dates.as_of_date,
        events.member_id
),

windowed_events as (
    select
        as_of_dates.sample_role,
        as_of_dates.as_of_date,
        events.member_id,
        events.event_type,
        events.category,
        datediff(as_of_dates.as_of_date, to_date(events.event_ts)) as days_before
    from as_of_dates
    inner join events
        on
            to_date(events.event_ts) < as_of_dates.as_of_date
            and to_date(events.event_ts) >= date_sub(as_of_dates.as_of_date, {{ longest_window_days }})
),

member_events as (
    select
        known_members.sample_role,
        known_members.as_of_date,
        known_members.member_id,
        windowed_events.event_type,
        windowed_events.category,
        windowed_events.days_before
    from known_members
    left join windowed_events
        on
            known_members.sample_role = windowed_events.sample_role
            and known_members.as_of_date = windowed_events.as_of_date
            and known_members.member_id = windowed_events.member_id
),

final as (
    select
        member_id,
        as_of_date,
        sample_role,
        {{- members_feature_pivot('event_type', 'category', 'days_before') }}
        count(event_type) as longest_window_event_count
    from member_events
    group by
        member_id,
        as_of_date,
        sample_role
)

select * from final
