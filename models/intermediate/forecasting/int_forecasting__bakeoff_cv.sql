-- Every candidate's rolling-origin CV rows: Prophet and the seasonal naive, the fast candidates, and
-- the ensemble (the mean of its members' forecasts, on the rows every member has). One row per
-- (series, model, cutoff, day); all of them before the training date.
with

prophet_cv as (
    select * from {{ ref('int_forecasting__cross_validation') }}
),

candidate_cv as (
    select * from {{ ref('int_forecasting__candidate_cross_validation') }}
),

members as (
    select
        model_name,
        count(*) over () as member_count
    from {{ ref('int_forecasting__ensemble_members') }}
    where is_ensemble_member
),

single_models as (
    select * from prophet_cv
    union all
    select * from candidate_cv
),

ensemble as (
    select
        single_models.store_id,
        single_models.item_id,
        single_models.training_date,
        'ensemble' as model_name,
        single_models.cutoff_date,
        single_models.sales_date,
        single_models.horizon_days,
        single_models.sales_qty,
        avg(single_models.yhat) as yhat
    from single_models
    inner join members
        on single_models.model_name = members.model_name
    group by
        single_models.store_id,
        single_models.item_id,
        single_models.training_date,
        single_models.cutoff_date,
        single_models.sales_date,
        single_models.horizon_days,
        single_models.sales_qty
    having count(*) = max(members.member_count)
),

final as (
    select * from single_models
    union all
    select * from ensemble
)

select * from final
