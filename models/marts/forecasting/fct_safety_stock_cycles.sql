-- Safety stock per replenishment cycle, for every service level of the seed and every way of
-- estimating the daily demand sigma: required stock = cycle stock (forecast over the cycle) +
-- z * sqrt(cycle days) * sigma, and whether it covered the cycle's actual demand.
-- One row per (training date, store, item, cycle, sigma method, service level).
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

cycle_sigmas as (
    -- one row per cycle and sigma method
    select
        cycles.*,
        sigma_methods.sigma_method,
        sigma_methods.sigma_daily_qty
    from cycles
    inner join sigmas
        on
            cycles.store_id = sigmas.store_id
            and cycles.item_id = sigmas.item_id
        lateral view stack(
            5,
            'std_demand', sigmas.std_demand_qty,
            'rmse', sigmas.rmse_qty,
            'mae', sigmas.mae_qty,
            'cv_worst_rmse', sigmas.cv_worst_rmse_qty,
            'forecast_interval', cycles.interval_sigma_qty
        ) sigma_methods as sigma_method, sigma_daily_qty
    where sigma_methods.sigma_daily_qty is not null
),

stocked as (
    select
        cycle_sigmas.*,
        service_levels.service_level as target_service_level,
        service_levels.z_score,
        service_levels.z_score * sqrt(cycle_sigmas.cycle_days) * cycle_sigmas.sigma_daily_qty
            as safety_stock_qty
    from cycle_sigmas
    cross join service_levels
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
        order_date,
        delivery_date,
        cycle_end_date,
        cycle_days,
        -- stock
        z_score,
        sigma_daily_qty,
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
