-- Safety stock per replenishment cycle, for every service level of the seed and every way of
-- estimating the demand's spread, and whether the required stock (cycle stock + safety stock)
-- covered the cycle's actual demand. One row per (training date, store, item, cycle, sigma method,
-- service level).
-- Chapter 4's five methods use Prophet's forecast as cycle stock and a daily sigma:
--   safety stock = z * sqrt(cycle days) * sigma.
-- The two out-of-sample methods use the bake-off's selected forecast as cycle stock and the CV
-- errors of that forecast summed over a cycle (int_forecasting__cv_safety_factors):
--   cv_cycle_rmse: safety stock = z * standardized CV cycle RMSE * sqrt(cycle stock);
--   cv_cycle_quantile: safety stock = max(empirical quantile of the standardized CV cycle error, 0)
--   * sqrt(cycle stock).
with

cycles as (
    select * from {{ ref('int_forecasting__order_cycles') }}
),

sigmas as (
    select * from {{ ref('int_forecasting__demand_sigmas') }}
),

service_levels as (
    select * from {{ ref('forecasting_service_levels') }}
),

cv_factors as (
    select * from {{ ref('int_forecasting__cv_safety_factors') }}
),

prophet_cycles as (
    select * from cycles
    where forecast_model_name = 'prophet'
),

selected_cycles as (
    select * from cycles
    where forecast_model_name = 'selected'
),

cycle_sigmas as (
    -- one row per Prophet cycle and in-sample / interval sigma method
    select
        prophet_cycles.*,
        sigma_methods.sigma_method,
        sigma_methods.sigma_daily_qty
    from prophet_cycles
    inner join sigmas
        on
            prophet_cycles.store_id = sigmas.store_id
            and prophet_cycles.item_id = sigmas.item_id
        lateral view stack(
            5,
            'std_demand', sigmas.std_demand_qty,
            'rmse', sigmas.rmse_qty,
            'mae', sigmas.mae_qty,
            'cv_worst_rmse', sigmas.cv_worst_rmse_qty,
            'forecast_interval', prophet_cycles.interval_sigma_qty
        ) sigma_methods as sigma_method, sigma_daily_qty
    where sigma_methods.sigma_daily_qty is not null
),

daily_sigma_stock as (
    select
        cycle_sigmas.*,
        service_levels.service_level as target_service_level,
        service_levels.z_score,
        sqrt(cycle_sigmas.cycle_days) * cycle_sigmas.sigma_daily_qty as sigma_cycle_qty,
        service_levels.z_score * sqrt(cycle_sigmas.cycle_days) * cycle_sigmas.sigma_daily_qty
            as safety_stock_qty
    from cycle_sigmas
    cross join service_levels
),

cv_rmse_stock as (
    select
        selected_cycles.*,
        'cv_cycle_rmse' as sigma_method,
        cv_factors.standardized_rmse * sqrt(selected_cycles.cycle_stock_qty / selected_cycles.cycle_days)
            as sigma_daily_qty,
        cv_factors.target_service_level,
        cv_factors.z_score,
        cv_factors.standardized_rmse * sqrt(selected_cycles.cycle_stock_qty) as sigma_cycle_qty,
        cv_factors.z_score * cv_factors.standardized_rmse * sqrt(selected_cycles.cycle_stock_qty)
            as safety_stock_qty
    from selected_cycles
    cross join cv_factors
),

cv_quantile_stock as (
    select
        selected_cycles.*,
        'cv_cycle_quantile' as sigma_method,
        cast(null as double) as sigma_daily_qty,
        cv_factors.target_service_level,
        cv_factors.z_score,
        cast(null as double) as sigma_cycle_qty,
        greatest(cv_factors.standardized_error_quantile, 0) * sqrt(selected_cycles.cycle_stock_qty)
            as safety_stock_qty
    from selected_cycles
    cross join cv_factors
),

stocked as (
    select * from daily_sigma_stock
    union all
    select * from cv_rmse_stock
    union all
    select * from cv_quantile_stock
),

final as (
    select
        -- keys
        training_date,
        store_id,
        item_id,
        cycle_start_date,
        sigma_method,
        target_service_level,
        -- the cycle
        forecast_model_name,
        order_date,
        delivery_date,
        cycle_end_date,
        cycle_days,
        -- stock
        z_score,
        sigma_daily_qty,
        sigma_cycle_qty,
        cycle_stock_qty,
        safety_stock_qty,
        cycle_stock_qty + safety_stock_qty as required_stock_qty,
        -- outcome
        actual_demand_qty,
        greatest(actual_demand_qty - (cycle_stock_qty + safety_stock_qty), 0) as shortage_qty,
        actual_demand_qty <= cycle_stock_qty + safety_stock_qty as is_covered
    from stocked
)

select * from final
