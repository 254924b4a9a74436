-- Chapter 6 (store-item forecasting): mean hold-out errors of Prophet and the seasonal-naive
-- baseline over every series, and the share of series where Prophet is better.
with

evaluation as (
    select * from {{ ref('fct_forecast_evaluation') }}
),

final as (
    select
        training_date,
        count(*) as series_count,
        avg(prophet_mape) as prophet_mean_mape,
        avg(prophet_smape) as prophet_mean_smape,
        avg(prophet_rmse) as prophet_mean_rmse,
        avg(baseline_mape) as baseline_mean_mape,
        avg(baseline_smape) as baseline_mean_smape,
        avg(baseline_rmse) as baseline_mean_rmse,
        avg(case when is_prophet_better then 1.0 else 0.0 end) as prophet_better_share
    from evaluation
    group by training_date
)

select * from final
order by training_date
