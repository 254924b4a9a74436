-- One row per (training date, store, item, model, day): Prophet's in-sample fit over the history and
-- its forecast over the horizon, and the seasonal-naive baseline's forecast, next to actual sales.
--
-- Incremental by training date: each build merges the current training date's rows (int_ models
-- hold only the current one), so forecasts made on earlier training dates stay for comparison.
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['training_date', 'store_id', 'item_id', 'model_name', 'sales_date'],
    on_schema_change='fail',
) }}

with

forecast_vs_actual as (
    select * from {{ ref('int_forecasting__forecast_vs_actual') }}
),

final as (
    select
        -- keys
        sales_date,
        store_id,
        item_id,
        training_date,
        model_name,
        -- actual and forecast
        cast(sales_qty as bigint) as sales_qty,
        yhat,
        yhat_lower,
        yhat_upper,
        yhat_sigma,
        -- flags
        is_forecast,
        is_filled
    from forecast_vs_actual
)

select * from final
