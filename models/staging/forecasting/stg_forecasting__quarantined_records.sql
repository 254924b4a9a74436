-- Raw sales rows that staging refused, with the reason, so nothing is dropped silently.
with

checked_sales as (
    select * from {{ ref('base_forecasting__sales_checked') }}
),

final as (
    select
        store_id,
        item_id,
        sales_date,
        quarantine_reason,
        to_json(named_struct('sales_qty', sales_qty)) as record_json
    from checked_sales
    where quarantine_reason is not null
)

select * from final
