-- Series that got no forecast, with the reason: too little history, gaps under the `refuse` policy,
-- or a Prophet fit that failed (the other series are fitted regardless).
with

profiles as (
    select * from {{ ref('int_forecasting__series_profile') }}
),

forecasts as (
    select * from {{ ref('int_forecasting__prophet_forecast') }}
),

forecast_series as (
    select distinct
        store_id,
        item_id
    from forecasts
    where model_name = 'prophet'
),

final as (
    select
        -- keys
        profiles.training_date,
        profiles.store_id,
        profiles.item_id,
        -- why
        coalesce(profiles.skip_reason, 'fit_failed') as skip_reason,
        -- the series
        profiles.first_sales_date,
        profiles.last_sales_date,
        profiles.training_days,
        profiles.missing_days
    from profiles
    left join forecast_series
        on
            profiles.store_id = forecast_series.store_id
            and profiles.item_id = forecast_series.item_id
    where profiles.skip_reason is not null or forecast_series.store_id is null
)

select * from final
