-- Every forecast row of the current training date next to the day's actual sales (null when the day
-- lies beyond the data). Prophet's rows cover the history (in-sample fit) and the horizon; the
-- seasonal-naive baseline's cover the horizon.
with

forecasts as (
    select * from {{ ref('int_forecasting__all_forecasts') }}
),

training_sales as (
    select * from {{ ref('int_forecasting__training_sales') }}
),

final as (
    select
        -- keys
        forecasts.training_date,
        forecasts.store_id,
        forecasts.item_id,
        forecasts.model_name,
        forecasts.sales_date,
        -- actual and forecast
        training_sales.sales_qty,
        forecasts.yhat,
        forecasts.yhat_lower,
        forecasts.yhat_upper,
        forecasts.yhat_sigma,
        forecasts.model_seed,
        -- flags
        forecasts.is_forecast,
        coalesce(training_sales.is_filled, false) as is_filled
    from forecasts
    left join training_sales
        on
            forecasts.store_id = training_sales.store_id
            and forecasts.item_id = training_sales.item_id
            and forecasts.sales_date = training_sales.sales_date
)

select * from final
