-- No leakage into the held-out evaluation: every training label window ends by the evaluation date.
with

as_of_dates as (
    select * from {{ ref('int_members__as_of_dates') }}
),

evaluation_date as (
    select as_of_date from as_of_dates
    where sample_role = 'evaluation'
),

final as (
    select as_of_dates.*
    from as_of_dates
    cross join evaluation_date
    where
        as_of_dates.sample_role = 'train'
        and (
            as_of_dates.label_end_date > evaluation_date.as_of_date
            or as_of_dates.label_end_date <= as_of_dates.as_of_date
        )
)

select * from final
