-- Achieved against target service level, per series, sigma method and target: the share of the
-- evaluation window's cycles whose actual demand the required stock covered.
with

cycles as (
    select * from {{ ref('fct_safety_stock_cycles') }}
),

final as (
    select
        -- keys
        training_date,
        store_id,
        item_id,
        sigma_method,
        target_service_level,
        -- the forecast the cycle stock comes from (prophet, or selected for the CV-based methods)
        forecast_model_name,
        -- evidence
        count(*) as cycle_count,
        count_if(is_covered) as covered_cycle_count,
        -- stock
        avg(sigma_daily_qty) as mean_sigma_daily_qty,
        avg(safety_stock_qty) as mean_safety_stock_qty,
        avg(required_stock_qty) as mean_required_stock_qty,
        -- outcome
        count_if(is_covered) / count(*) as achieved_service_level,
        count_if(is_covered) / count(*) - target_service_level as service_level_gap,
        count_if(is_covered) / count(*) < target_service_level as is_below_target
    from cycles
    group by training_date, store_id, item_id, sigma_method, target_service_level, forecast_model_name
)

select * from final
