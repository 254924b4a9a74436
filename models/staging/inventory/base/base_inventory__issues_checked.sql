-- Every raw issue row, typed, with the reason it cannot be used (null when it can). The one place
-- where issue validity is decided: stg_inventory__issues keeps the good rows, the quarantine the rest.
--
-- A Delta table, not a view: the staged rows, the quarantine and their tests all read the result;
-- one build checks the raw files once instead of once per reader.
{{ config(materialized='table') }}
with

source as (
    select * from {{ source('inventory', 'issues') }}
),

material_keys as (
    select * from {{ ref('base_inventory__material_keys') }}
),

typed as (
    select
        nullif(trim(location_id), '') as location_id,
        nullif(trim(material_id), '') as material_id,
        cast(issue_date as date) as issue_date,
        cast(issued_qty as bigint) as issued_qty
    from source
),

row_checked as (
    select
        typed.*,
        case
            when typed.location_id is null or typed.material_id is null or typed.issue_date is null
                then 'missing_key'
            when typed.issued_qty is null then 'missing_qty'
            when typed.issued_qty < 0 then 'negative_qty'
            when material_keys.material_id is null then 'unknown_material'
            when not material_keys.has_usable_row then 'material_quarantined'
        end as row_reason
    from typed
    left join material_keys
        on
            typed.location_id = material_keys.location_id
            and typed.material_id = material_keys.material_id
),

numbered as (
    select
        *,
        -- one row per (location, material, day): the first usable copy counts, the others are quarantined
        row_number() over (
            partition by location_id, material_id, issue_date, row_reason is null
            order by issued_qty desc
        ) as copy_number
    from row_checked
),

final as (
    select
        location_id,
        material_id,
        issue_date,
        issued_qty,
        coalesce(row_reason, if(copy_number > 1, 'duplicate_record', null)) as quarantine_reason
    from numbered
)

select * from final
