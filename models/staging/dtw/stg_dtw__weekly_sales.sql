-- Weekly unit sales of every usable product, unpivoted from the seed's W0..W51 columns.
with

checked_products as (
    select * from {{ ref('base_dtw__sales_products_checked') }}
),

weeks_exploded as (
    select
        product_code,
        posexplode(weekly_units) as (week_nr, sales_units)
    from checked_products
    where quarantine_reason is null
),

final as (
    select
        product_code,
        cast(week_nr as int) as week_nr,
        cast(sales_units as bigint) as sales_units
    from weeks_exploded
)

select * from final
