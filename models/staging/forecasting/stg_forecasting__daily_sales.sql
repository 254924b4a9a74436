with

checked_sales as (
    select * from {{ ref('base_forecasting__sales_checked') }}
),

final as (
    select
        store_id,
        item_id,
        sales_date,
        sales_qty
    from checked_sales
    where quarantine_reason is null
)

select * from final
