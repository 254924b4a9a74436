-- Every single candidate ranked by its cross-validated accuracy over all series (the mean of each
-- series' CV sMAPE), and the var forecasting_ensemble_size best of them: the ensemble's members.
-- Only CV rows (before the training date) are read. Without CV rows there are no members.
{%- set ensemble_size = var('forecasting_ensemble_size') | int %}
with

prophet_cv as (
    select * from {{ ref('int_forecasting__cross_validation') }}
),

candidate_cv as (
    select * from {{ ref('int_forecasting__candidate_cross_validation') }}
),

single_models as (
    select * from prophet_cv
    union all
    select * from candidate_cv
),

series_scores as (
    select
        store_id,
        item_id,
        model_name,
        {{ forecast_error_metrics('sales_qty', 'yhat') }}
    from single_models
    group by store_id, item_id, model_name
),

model_scores as (
    select
        model_name,
        count(*) as series_count,
        avg(smape) as mean_cv_smape,
        avg(mape) as mean_cv_mape,
        avg(rmse) as mean_cv_rmse
    from series_scores
    group by model_name
),

final as (
    select
        model_name,
        series_count,
        mean_cv_smape,
        mean_cv_mape,
        mean_cv_rmse,
        row_number() over (order by mean_cv_smape, mean_cv_rmse, model_name) as cv_rank,
        row_number() over (order by mean_cv_smape, mean_cv_rmse, model_name) <= {{ ensemble_size }}
            as is_ensemble_member
    from model_scores
)

select * from final
