-- Every (location, material) the material master names, and whether one of its rows is usable:
-- what issue and stock rows are checked against.
with

checked_materials as (
    select * from {{ ref('base_inventory__materials_checked') }}
),

final as (
    select
        location_id,
        material_id,
        bool_or(quarantine_reason is null) as has_usable_row
    from checked_materials
    where location_id is not null and material_id is not null
    group by location_id, material_id
)

select * from final
