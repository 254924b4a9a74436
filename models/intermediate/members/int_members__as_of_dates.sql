-- The as-of dates of the member models: training snapshots, the held-out evaluation date and the
-- date of the next email (score). Features use events before an as-of date; labels are purchases
-- in the label window from it. Every training label window ends by the evaluation date.
{%- set label_days = var('members_label_window_days') %}
{%- if var('members_as_of_date') %}
    {%- set score_date_sql = "date'" ~ var('members_as_of_date') ~ "'" %}
{%- else %}
    {%- set score_date_sql = 'date_add(max(to_date(event_ts)), 1)' %}
{%- endif %}
with

events as (
    select * from {{ ref('stg_members__events') }}
),

score_date as (
    select {{ score_date_sql }} as as_of_date
    from events
),

training_snapshots as (
    select explode(sequence(0, {{ var('members_training_snapshots') }} - 1)) as snapshot_number
),

final as (
    select
        'score' as sample_role,
        as_of_date,
        cast(null as date) as label_end_date
    from score_date
    union all
    select
        'evaluation' as sample_role,
        date_sub(as_of_date, {{ label_days }}) as as_of_date,
        as_of_date as label_end_date
    from score_date
    union all
    select
        'train' as sample_role,
        date_sub(score_date.as_of_date, {{ 2 * label_days }} + 7 * training_snapshots.snapshot_number)
            as as_of_date,
        date_sub(score_date.as_of_date, {{ label_days }} + 7 * training_snapshots.snapshot_number)
            as label_end_date
    from score_date
    cross join training_snapshots
)

select * from final
