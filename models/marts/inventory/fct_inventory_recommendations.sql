-- One row per usable (location, material): the Monte Carlo reorder point and recommended stock.
with

simulations as (
    select * from {{ ref('int_inventory__lead_time_demand') }}
),

materials as (
    select * from {{ ref('stg_inventory__materials') }}
),

final as (
    select
        -- keys
        simulations.location_id,
        simulations.material_id,
        simulations.as_of_date,
        -- how the series was simulated
        simulations.lead_time_days,
        simulations.review_period_days,
        simulations.service_level,
        simulations.iterations,
        simulations.simulation_seed,
        simulations.history_start_date,
        simulations.history_days,
        -- demand history and simulated lead-time demand
        simulations.demand_days,
        simulations.mean_daily_demand_qty,
        simulations.lead_time_demand_mean_qty,
        simulations.lead_time_demand_std_qty,
        -- the policy
        simulations.reorder_point_qty,
        simulations.recommended_stock_qty,
        simulations.safety_stock_qty,
        -- stock-out risk per lead time when reordering at the reorder point
        simulations.stockout_probability,
        simulations.expected_shortage_qty,
        -- value
        materials.unit_cost_usd,
        simulations.recommended_stock_qty * materials.unit_cost_usd as recommended_stock_value_usd
    from simulations
    inner join materials
        on
            simulations.location_id = materials.location_id
            and simulations.material_id = materials.material_id
)

select * from final
