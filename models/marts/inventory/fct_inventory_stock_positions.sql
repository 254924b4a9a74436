-- One row per usable (location, material): current stock against the recommended policy.
with

recommendations as (
    select * from {{ ref('fct_inventory_recommendations') }}
),

simulations as (
    select * from {{ ref('int_inventory__lead_time_demand') }}
),

positioned as (
    select
        recommendations.location_id,
        recommendations.material_id,
        recommendations.as_of_date,
        simulations.on_hand_qty,
        recommendations.reorder_point_qty,
        recommendations.recommended_stock_qty,
        recommendations.unit_cost_usd,
        simulations.stockout_probability_at_on_hand,
        simulations.expected_shortage_at_on_hand_qty,
        case
            when simulations.on_hand_qty is null then 'no_stock_record'
            when simulations.on_hand_qty < recommendations.reorder_point_qty then 'under_stocked'
            when simulations.on_hand_qty > recommendations.recommended_stock_qty then 'over_stocked'
            else 'within_policy'
        end as stock_status
    from recommendations
    inner join simulations
        on
            recommendations.location_id = simulations.location_id
            and recommendations.material_id = simulations.material_id
),

final as (
    select
        -- keys
        location_id,
        material_id,
        as_of_date,
        -- stock against policy
        stock_status,
        on_hand_qty,
        reorder_point_qty,
        recommended_stock_qty,
        greatest(reorder_point_qty - on_hand_qty, 0) as shortfall_qty,
        greatest(on_hand_qty - recommended_stock_qty, 0) as excess_qty,
        -- value
        unit_cost_usd,
        on_hand_qty * unit_cost_usd as on_hand_value_usd,
        greatest(on_hand_qty - recommended_stock_qty, 0) * unit_cost_usd as excess_value_usd,
        -- stock-out risk of the current stock over one lead time
        stockout_probability_at_on_hand,
        expected_shortage_at_on_hand_qty,
        -- flags
        stock_status = 'under_stocked' as is_under_stocked,
        stock_status = 'over_stocked' as is_over_stocked
    from positioned
)

select * from final
