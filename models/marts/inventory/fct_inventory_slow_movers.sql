-- Materials without issues for the last `inventory_slow_mover_months` months: stock tied up in slow movers.
with

simulations as (
    select * from {{ ref('int_inventory__lead_time_demand') }}
),

recommendations as (
    select * from {{ ref('fct_inventory_recommendations') }}
),

issues as (
    select * from {{ ref('stg_inventory__issues') }}
),

last_issues as (
    select
        simulations.location_id,
        simulations.material_id,
        max(issues.issue_date) as last_issue_date
    from simulations
    inner join issues
        on
            simulations.location_id = issues.location_id
            and simulations.material_id = issues.material_id
    where
        issues.issued_qty > 0
        and issues.issue_date <= simulations.as_of_date
    group by simulations.location_id, simulations.material_id
),

classified as (
    select
        recommendations.location_id,
        recommendations.material_id,
        recommendations.as_of_date,
        add_months(recommendations.as_of_date, -{{ var('inventory_slow_mover_months') }})
            as slow_mover_cutoff_date,
        last_issues.last_issue_date,
        simulations.on_hand_qty,
        recommendations.recommended_stock_qty,
        recommendations.unit_cost_usd
    from recommendations
    inner join simulations
        on
            recommendations.location_id = simulations.location_id
            and recommendations.material_id = simulations.material_id
    left join last_issues
        on
            recommendations.location_id = last_issues.location_id
            and recommendations.material_id = last_issues.material_id
),

final as (
    select
        -- keys
        location_id,
        material_id,
        as_of_date,
        -- inactivity
        slow_mover_cutoff_date,
        last_issue_date,
        datediff(as_of_date, last_issue_date) as days_since_last_issue,
        -- stock tied up
        on_hand_qty,
        recommended_stock_qty,
        unit_cost_usd,
        on_hand_qty * unit_cost_usd as on_hand_value_usd,
        -- flags
        last_issue_date is null as is_never_issued
    from classified
    where last_issue_date is null or last_issue_date <= slow_mover_cutoff_date
)

select * from final
