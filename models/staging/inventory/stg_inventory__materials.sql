-- The usable material master: the current load, or with var snapshot_as_of the versions of
-- snap_inventory__materials valid then (a rebuild as of a past load).
with

usable_materials as (
    {{ current_or_as_of(
        ref('base_inventory__materials_checked'),
        ref('snap_inventory__materials'),
        'quarantine_reason is null',
    ) }}
),

final as (
    select
        location_id,
        material_id,
        lead_time_days,
        unit_cost_usd
    from usable_materials
)

select * from final
