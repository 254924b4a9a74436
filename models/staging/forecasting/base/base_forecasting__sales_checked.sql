-- Every raw sales row, typed and renamed, with the reason it cannot be used (null when it can).
-- The one place where sales validity is decided: stg_forecasting__daily_sales keeps the good rows,
-- the quarantine the rest.
--
-- A Delta table, not a view: the staged rows, the quarantine and their tests all read the result;
-- one build checks the raw files once instead of once per reader.
{{ config(materialized='table') }}
with

source as (
    select * from {{ source('forecasting', 'sales') }}
),

typed as (
    select
        cast(date as date) as sales_date,
        cast(store as bigint) as store_id,
        cast(item as bigint) as item_id,
        cast(sales as bigint) as sales_qty
    from source
),

row_checked as (
    select
        *,
        case
            when sales_date is null or store_id is null or item_id is null then 'missing_key'
            when sales_qty is null then 'missing_sales'
            when sales_qty < 0 then 'negative_sales'
        end as row_reason
    from typed
),

numbered as (
    select
        *,
        -- one row per (store, item, day): the largest usable copy counts, the others are quarantined
        row_number() over (
            partition by store_id, item_id, sales_date, row_reason is null
            order by sales_qty desc
        ) as copy_number
    from row_checked
),

final as (
    select
        store_id,
        item_id,
        sales_date,
        sales_qty,
        coalesce(row_reason, if(copy_number > 1, 'duplicate_record', null)) as quarantine_reason
    from numbered
)

select * from final
