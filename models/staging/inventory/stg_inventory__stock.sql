-- The usable stock: the current load, or with var snapshot_as_of the versions of
-- snap_inventory__stock valid then (a rebuild as of a past load).
with

usable_stock as (
    {{ current_or_as_of(
        ref('base_inventory__stock_checked'),
        ref('snap_inventory__stock'),
        'quarantine_reason is null',
    ) }}
),

final as (
    select
        location_id,
        material_id,
        snapshot_date,
        on_hand_qty
    from usable_stock
)

select * from final
