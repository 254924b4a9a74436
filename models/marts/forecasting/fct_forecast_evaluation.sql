-- Held-out accuracy of every fitted series: Prophet and the seasonal-naive baseline side by side over
-- the forecast horizon's days with known sales (the days after the training date, never trained on).
-- MAPE skips days without sales (no percentage error exists); sMAPE counts 0 sold, 0 forecast as no error.
with

forecast_vs_actual as (
    select * from {{ ref('int_forecasting__forecast_vs_actual') }}
),

errors as (
    select
        training_date,
        store_id,
        item_id,
        model_name,
        count(*) as evaluation_days,
        min(sales_date) as evaluation_start_date,
        max(sales_date) as evaluation_end_date,
        avg(sales_qty) as mean_sales_qty,
        {{ forecast_error_metrics('sales_qty', 'yhat') }}
    from forecast_vs_actual
    where is_forecast and sales_qty is not null
    group by training_date, store_id, item_id, model_name
),

prophet as (
    select * from errors
    where model_name = 'prophet'
),

baseline as (
    select * from errors
    where model_name = 'seasonal_naive'
),

final as (
    select
        -- keys
        prophet.training_date,
        prophet.store_id,
        prophet.item_id,
        -- window
        prophet.evaluation_start_date,
        prophet.evaluation_end_date,
        prophet.evaluation_days,
        prophet.mean_sales_qty,
        -- Prophet
        prophet.mae as prophet_mae,
        prophet.rmse as prophet_rmse,
        prophet.mape as prophet_mape,
        prophet.smape as prophet_smape,
        -- seasonal naive (last week repeated)
        baseline.mae as baseline_mae,
        baseline.rmse as baseline_rmse,
        baseline.mape as baseline_mape,
        baseline.smape as baseline_smape,
        -- flags
        prophet.rmse < baseline.rmse as is_prophet_better
    from prophet
    inner join baseline
        on
            prophet.store_id = baseline.store_id
            and prophet.item_id = baseline.item_id
)

select * from final
