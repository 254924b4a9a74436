-- Four of the five daily demand sigmas safety stock is computed from, one row per fitted series of
-- the current training date (the fifth, from the forecast interval, varies by day: see
-- int_forecasting__order_cycles).
-- std_demand: spread of actual daily sales over the training history; rmse, mae: Prophet's in-sample
-- errors over the same days; cv_worst_rmse: the largest cross-validated RMSE over the horizons an
-- order must cover (1 .. lead time + cycle days).
{%- set lead_time_days = var('forecasting_lead_time_days') | int %}
{%- set lead_time_and_cycle_days = lead_time_days + var('forecasting_cycle_days') | int %}
with

forecast_vs_actual as (
    select * from {{ ref('int_forecasting__forecast_vs_actual') }}
),

cross_validation as (
    select * from {{ ref('int_forecasting__cross_validation') }}
),

in_sample as (
    select
        training_date,
        store_id,
        item_id,
        count(*) as training_days,
        stddev_samp(sales_qty) as std_demand_qty,
        sqrt(avg(power(sales_qty - yhat, 2))) as rmse_qty,
        avg(abs(sales_qty - yhat)) as mae_qty
    from forecast_vs_actual
    where model_name = 'prophet' and not is_forecast
    group by training_date, store_id, item_id
),

cv_by_horizon as (
    select
        store_id,
        item_id,
        horizon_days,
        sqrt(avg(power(sales_qty - yhat, 2))) as rmse_qty
    from cross_validation
    where
        model_name = 'prophet'
        and horizon_days <= {{ lead_time_and_cycle_days }}
    group by store_id, item_id, horizon_days
),

cv_worst as (
    select
        store_id,
        item_id,
        max(rmse_qty) as cv_worst_rmse_qty
    from cv_by_horizon
    group by store_id, item_id
),

final as (
    select
        in_sample.training_date,
        in_sample.store_id,
        in_sample.item_id,
        in_sample.training_days,
        in_sample.std_demand_qty,
        in_sample.rmse_qty,
        in_sample.mae_qty,
        cv_worst.cv_worst_rmse_qty
    from in_sample
    left join cv_worst
        on
            in_sample.store_id = cv_worst.store_id
            and in_sample.item_id = cv_worst.item_id
)

select * from final
