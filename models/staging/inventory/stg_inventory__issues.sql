with

checked_issues as (
    select * from {{ ref('base_inventory__issues_checked') }}
),

final as (
    select
        location_id,
        material_id,
        issue_date,
        issued_qty
    from checked_issues
    where quarantine_reason is null
)

select * from final
