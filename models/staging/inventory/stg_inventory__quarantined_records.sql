-- Raw inventory rows that staging refused, with the reason, so nothing is dropped silently.
with

checked_materials as (
    select * from {{ ref('base_inventory__materials_checked') }}
),

checked_issues as (
    select * from {{ ref('base_inventory__issues_checked') }}
),

checked_stock as (
    select * from {{ ref('base_inventory__stock_checked') }}
),

refused_materials as (
    select
        'materials' as source_table,
        location_id,
        material_id,
        cast(null as date) as record_date,
        quarantine_reason,
        to_json(named_struct(
            'lead_time_days', lead_time_days, 'unit_cost_usd', unit_cost_usd
        )) as record_json
    from checked_materials
    where quarantine_reason is not null
),

refused_issues as (
    select
        'issues' as source_table,
        location_id,
        material_id,
        issue_date as record_date,
        quarantine_reason,
        to_json(named_struct('issued_qty', issued_qty)) as record_json
    from checked_issues
    where quarantine_reason is not null
),

refused_stock as (
    select
        'stock' as source_table,
        location_id,
        material_id,
        snapshot_date as record_date,
        quarantine_reason,
        to_json(named_struct('on_hand_qty', on_hand_qty)) as record_json
    from checked_stock
    where quarantine_reason is not null
),

final as (
    select * from refused_materials
    union all
    select * from refused_issues
    union all
    select * from refused_stock
)

select * from final
