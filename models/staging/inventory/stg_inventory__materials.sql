with

checked_materials as (
    select * from {{ ref('base_inventory__materials_checked') }}
),

final as (
    select
        location_id,
        material_id,
        lead_time_days,
        unit_cost_usd
    from checked_materials
    where quarantine_reason is null
)

select * from final
