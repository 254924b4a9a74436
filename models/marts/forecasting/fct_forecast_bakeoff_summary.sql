-- The bake-off per candidate: mean and median CV and held-out errors over the series, how many series
-- the CV selection gave it and how many it won on the held-out window (lowest sMAPE), its global CV
-- rank and whether it is an ensemble member. model_name = 'selected' is the CV-chosen forecast.
with

bakeoff as (
    select * from {{ ref('fct_forecast_bakeoff') }}
),

members as (
    select * from {{ ref('int_forecasting__ensemble_members') }}
),

per_model as (
    select
        training_date,
        model_name,
        count(*) as series_count,
        avg(cv_mae) as mean_cv_mae,
        avg(cv_rmse) as mean_cv_rmse,
        avg(cv_mape) as mean_cv_mape,
        avg(cv_smape) as mean_cv_smape,
        percentile(cv_smape, 0.5) as median_cv_smape,
        avg(holdout_mae) as mean_holdout_mae,
        avg(holdout_rmse) as mean_holdout_rmse,
        avg(holdout_mape) as mean_holdout_mape,
        percentile(holdout_mape, 0.5) as median_holdout_mape,
        avg(holdout_smape) as mean_holdout_smape,
        percentile(holdout_smape, 0.5) as median_holdout_smape,
        count_if(is_selected and model_name != 'selected') as selected_series_count,
        count_if(is_holdout_winner) as holdout_win_count
    from bakeoff
    group by training_date, model_name
),

final as (
    select
        -- keys
        per_model.training_date,
        per_model.model_name,
        -- series
        per_model.series_count,
        -- cross-validation
        per_model.mean_cv_mae,
        per_model.mean_cv_rmse,
        per_model.mean_cv_mape,
        per_model.mean_cv_smape,
        per_model.median_cv_smape,
        members.cv_rank,
        coalesce(members.is_ensemble_member, false) as is_ensemble_member,
        -- held out
        per_model.mean_holdout_mae,
        per_model.mean_holdout_rmse,
        per_model.mean_holdout_mape,
        per_model.median_holdout_mape,
        per_model.mean_holdout_smape,
        per_model.median_holdout_smape,
        -- wins
        case
            when per_model.model_name != 'selected' then per_model.selected_series_count
        end as selected_series_count,
        case
            when per_model.model_name != 'selected'
                then per_model.selected_series_count / per_model.series_count
        end as selected_series_share,
        case
            when per_model.model_name != 'selected' then per_model.holdout_win_count
        end as holdout_win_count,
        case
            when per_model.model_name != 'selected'
                then per_model.holdout_win_count / per_model.series_count
        end as holdout_win_share
    from per_model
    left join members
        on per_model.model_name = members.model_name
)

select * from final
