-- What each member bought in the label window from each training and evaluation as-of date: the
-- labels of the purchase models. Only events on or after the as-of date, before label_end_date.
with

events as (
    select * from {{ ref('stg_members__events') }}
),

as_of_dates as (
    select * from {{ ref('int_members__as_of_dates') }}
),

final as (
    select
        as_of_dates.sample_role,
        as_of_dates.as_of_date,
        events.member_id,
        events.product_id,
        count(*) as purchase_count
    from as_of_dates
    inner join events
        on
            to_date(events.event_ts) >= as_of_dates.as_of_date
            and to_date(events.event_ts) < as_of_dates.label_end_date
    where events.event_type = 'purchase'
    group by
        as_of_dates.sample_role,
        as_of_dates.as_of_date,
        events.member_id,
        events.product_id
)

select * from final
