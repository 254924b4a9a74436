-- depends_on: {{ ref('members_product_catalog') }}
-- Each member's features over the longest window add up to exactly their events of the
-- `longest` days before the as-of date: nothing from the as-of date or later is counted (no
-- leakage) and no event is lost by the pivot.
{%- set longest_window_days = var('members_feature_windows_days') | max %}
with

features as (
    select * from {{ ref('fct_member_features') }}
),

events as (
    select * from {{ ref('stg_members__events') }}
),

feature_totals as (
    select
        member_id,
        as_of_date,
        {%- for column in members_feature_columns() if column.window_days == longest_window_days %}
            {{ column.name }} +
        {%- endfor %}
        0 as counted_events
    from features
),

event_totals as (
    select
        features.member_id,
        features.as_of_date,
        count(events.event_id) as window_events
    from features
    left join events
        on
            features.member_id = events.member_id
            and to_date(events.event_ts) < features.as_of_date
            and to_date(events.event_ts) >= date_sub(features.as_of_date, {{ longest_window_days }})
    group by
        features.member_id,
        features.as_of_date
),

final as (
    select
        feature_totals.member_id,
        feature_totals.as_of_date,
        feature_totals.counted_events,
        event_totals.window_events
    from feature_totals
    inner join event_totals
        on
            feature_totals.member_id = event_totals.member_id
            and feature_totals.as_of_date = event_totals.as_of_date
    where feature_totals.counted_events != event_totals.window_events
)

select * from final
