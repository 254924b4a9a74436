-- Staged issues and stock always belong to a usable material (a two-column relationships test).
with

materials as (
    select * from {{ ref('stg_inventory__materials') }}
),

issues as (
    select * from {{ ref('stg_inventory__issues') }}
),

stock as (
    select * from {{ ref('stg_inventory__stock') }}
),

staged_keys as (
    select
        'issues' as source_table,
        location_id,
        material_id
    from issues
    union all
    select
        'stock' as source_table,
        location_id,
        material_id
    from stock
),

final as (
    select staged_keys.*
    from staged_keys
    left join materials
        on
            staged_keys.location_id = materials.location_id
            and staged_keys.material_id = materials.material_id
    where materials.material_id is null
)

select * from final
