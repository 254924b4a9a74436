with

checked_stock as (
    select * from {{ ref('base_inventory__stock_checked') }}
),

final as (
    select
        location_id,
        material_id,
        snapshot_date,
        on_hand_qty
    from checked_stock
    where quarantine_reason is null
)

select * from final
