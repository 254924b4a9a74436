-- Chapter 4's finding, quantified: for each sigma method and target service level, how many series
-- fall below the target, and the service level achieved over all their cycles together.
with

series_levels as (
    select * from {{ ref('fct_safety_stock_service_levels') }}
),

final as (
    select
        -- keys
        training_date,
        sigma_method,
        target_service_level,
        forecast_model_name,
        -- series
        count(*) as series_count,
        count_if(is_below_target) as below_target_series_count,
        count_if(is_below_target) / count(*) as below_target_share,
        -- cycles
        sum(cycle_count) as cycle_count,
        sum(covered_cycle_count) / sum(cycle_count) as pooled_achieved_service_level,
        sum(covered_cycle_count) / sum(cycle_count) - target_service_level as pooled_service_level_gap,
        avg(achieved_service_level) as mean_achieved_service_level,
        -- stock
        avg(mean_safety_stock_qty) as mean_safety_stock_qty
    from series_levels
    group by training_date, sigma_method, target_service_level, forecast_model_name
)

select * from final
