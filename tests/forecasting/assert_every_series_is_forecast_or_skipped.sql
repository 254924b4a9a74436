-- Every series with usable sales either has a full Prophet forecast over the horizon or a skip reason,
-- never both and never neither.
with

profiles as (
    select * from {{ ref('int_forecasting__series_profile') }}
),

forecasts as (
    select * from {{ ref('int_forecasting__prophet_forecast') }}
),

skipped as (
    select * from {{ ref('fct_forecasting_skipped_series') }}
),

forecast_days as (
    select
        store_id,
        item_id,
        count_if(is_forecast) as forecast_day_count
    from forecasts
    where model_name = 'prophet'
    group by store_id, item_id
),

final as (
    select
        profiles.store_id,
        profiles.item_id,
        forecast_days.forecast_day_count,
        skipped.skip_reason
    from profiles
    left join forecast_days
        on
            profiles.store_id = forecast_days.store_id
            and profiles.item_id = forecast_days.item_id
    left join skipped
        on
            profiles.store_id = skipped.store_id
            and profiles.item_id = skipped.item_id
    where
        (forecast_days.store_id is null) = (skipped.store_id is null)
        or (
            forecast_days.store_id is not null
            and forecast_days.forecast_day_count != {{ var('forecasting_horizon_days') | int }}
        )
)

select * from final
