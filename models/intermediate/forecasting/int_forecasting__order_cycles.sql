-- The replenishment cycles inside the evaluation window, one row per fitted series and cycle: an
-- order placed on each var forecasting_order_weekday on or after the training date, delivered
-- forecasting_lead_time_days later, covering the forecasting_cycle_days days after the delivery
-- (by default: order Sunday, delivery Wednesday, cycle Thursday..Wednesday). Only cycles whose every
-- day has a forecast and an actual are kept. Cycle stock is the forecast summed over the cycle, once
-- with Prophet's forecast and once with the bake-off's selected one (forecast_model_name).
{%- set lead_time = var('forecasting_lead_time_days') | int %}
{%- set cycle_days = var('forecasting_cycle_days') | int %}
with

forecast_vs_actual as (
    select * from {{ ref('int_forecasting__forecast_vs_actual') }}
),

profiles as (
    select * from {{ ref('int_forecasting__series_profile') }}
),

order_days as (
    select distinct
        training_date,
        window_end_date,
        explode(sequence(training_date, window_end_date, interval 1 day)) as order_date
    from profiles
    where skip_reason is null
),

cycles as (
    select
        training_date,
        order_date,
        date_add(order_date, {{ lead_time }}) as delivery_date,
        date_add(order_date, {{ lead_time + 1 }}) as cycle_start_date,
        date_add(order_date, {{ lead_time + cycle_days }}) as cycle_end_date
    from order_days
    where
        date_format(order_date, 'EEEE') = '{{ var("forecasting_order_weekday") }}'
        and date_add(order_date, {{ lead_time + cycle_days }}) <= window_end_date
),

days_in_cycles as (
    select
        forecast_vs_actual.store_id,
        forecast_vs_actual.item_id,
        forecast_vs_actual.model_name as forecast_model_name,
        cycles.training_date,
        cycles.order_date,
        cycles.delivery_date,
        cycles.cycle_start_date,
        cycles.cycle_end_date,
        forecast_vs_actual.sales_qty,
        forecast_vs_actual.yhat,
        forecast_vs_actual.yhat_sigma
    from forecast_vs_actual
    inner join cycles
        on forecast_vs_actual.sales_date between cycles.cycle_start_date and cycles.cycle_end_date
    where
        forecast_vs_actual.model_name in ('prophet', 'selected')
        and forecast_vs_actual.is_forecast
        and forecast_vs_actual.sales_qty is not null
),

final as (
    select
        -- keys
        store_id,
        item_id,
        forecast_model_name,
        training_date,
        order_date,
        delivery_date,
        cycle_start_date,
        cycle_end_date,
        -- measures
        count(*) as cycle_days,
        sum(yhat) as cycle_stock_qty,
        sum(sales_qty) as actual_demand_qty,
        -- root mean square of the daily sigmas the forecast interval implies over the cycle
        sqrt(avg(power(yhat_sigma, 2))) as interval_sigma_qty
    from days_in_cycles
    group by
        store_id,
        item_id,
        forecast_model_name,
        training_date,
        order_date,
        delivery_date,
        cycle_start_date,
        cycle_end_date
    having count(*) = {{ cycle_days }}
)

select * from final
