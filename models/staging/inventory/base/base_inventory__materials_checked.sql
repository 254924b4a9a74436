-- Every raw material row, typed, with the reason it cannot be used (null when it can). The one place
-- where material validity is decided: stg_inventory__materials keeps the good rows, the quarantine the rest.
--
-- A Delta table, not a view: the staged rows, the quarantine and their tests all read the result;
-- one build checks the raw files once instead of once per reader.
{{ config(materialized='table') }}
with

source as (
    select * from {{ source('inventory', 'materials') }}
),

typed as (
    select
        nullif(trim(location_id), '') as location_id,
        nullif(trim(material_id), '') as material_id,
        cast(lead_time_days as int) as lead_time_days,
        cast(unit_cost_usd as double) as unit_cost_usd
    from source
),

row_checked as (
    select
        *,
        case
            when location_id is null or material_id is null then 'missing_key'
            when lead_time_days is null then 'missing_lead_time'
            when lead_time_days <= 0 then 'non_positive_lead_time'
            when unit_cost_usd < 0 then 'negative_unit_cost'
        end as row_reason
    from typed
),

numbered as (
    select
        *,
        -- a material may be delivered twice: the first usable copy counts, the others are quarantined
        row_number() over (
            partition by location_id, material_id, row_reason is null
            order by lead_time_days, unit_cost_usd
        ) as copy_number
    from row_checked
),

final as (
    select
        location_id,
        material_id,
        lead_time_days,
        unit_cost_usd,
        coalesce(row_reason, if(copy_number > 1, 'duplicate_record', null)) as quarantine_reason
    from numbered
)

select * from final
