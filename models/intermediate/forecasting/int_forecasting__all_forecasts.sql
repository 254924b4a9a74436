-- Every candidate's rows of the current training date: Prophet (history and horizon) and the seasonal
-- naive from int_forecasting__prophet_forecast, the fast candidates, the ensemble (the mean of its
-- members' forecasts) and `selected`, the forecast the CV-only selection chose for the series
-- (Prophet's when there is no CV to choose by). The candidates besides Prophet carry no interval.
with

prophet as (
    select * from {{ ref('int_forecasting__prophet_forecast') }}
),

candidates as (
    select * from {{ ref('int_forecasting__candidate_forecast') }}
),

members as (
    select
        model_name,
        count(*) over () as member_count
    from {{ ref('int_forecasting__ensemble_members') }}
    where is_ensemble_member
),

selection as (
    select * from {{ ref('int_forecasting__model_selection') }}
    where is_selected
),

single_models as (
    select * from prophet
    union all
    select * from candidates
),

ensemble as (
    select
        single_models.store_id,
        single_models.item_id,
        single_models.training_date,
        'ensemble' as model_name,
        single_models.sales_date,
        true as is_forecast,
        avg(single_models.yhat) as yhat,
        cast(null as double) as yhat_lower,
        cast(null as double) as yhat_upper,
        cast(null as double) as yhat_sigma,
        cast(null as bigint) as model_seed
    from single_models
    inner join members
        on single_models.model_name = members.model_name
    where single_models.is_forecast
    group by
        single_models.store_id,
        single_models.item_id,
        single_models.training_date,
        single_models.sales_date
    having count(*) = max(members.member_count)
),

with_ensemble as (
    select * from single_models
    union all
    select * from ensemble
),

selected as (
    select
        with_ensemble.store_id,
        with_ensemble.item_id,
        with_ensemble.training_date,
        'selected' as model_name,
        with_ensemble.sales_date,
        with_ensemble.is_forecast,
        with_ensemble.yhat,
        with_ensemble.yhat_lower,
        with_ensemble.yhat_upper,
        with_ensemble.yhat_sigma,
        with_ensemble.model_seed
    from with_ensemble
    left join selection
        on
            with_ensemble.store_id = selection.store_id
            and with_ensemble.item_id = selection.item_id
    where
        with_ensemble.is_forecast
        and with_ensemble.model_name = coalesce(selection.model_name, 'prophet')
),

final as (
    select * from with_ensemble
    union all
    select * from selected
)

select * from final
