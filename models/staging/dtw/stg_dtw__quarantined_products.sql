-- Seed rows that staging refused, with the reason, so no product is dropped silently.
with

checked_products as (
    select * from {{ ref('base_dtw__sales_products_checked') }}
),

final as (
    select
        product_code,
        quarantine_reason,
        to_json(weekly_units) as weekly_units_json
    from checked_products
    where quarantine_reason is not null
)

select * from final
