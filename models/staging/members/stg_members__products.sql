with

catalog as (
    select * from {{ ref('members_product_catalog') }}
),

final as (
    select
        product_id,
        product_name,
        category,
        list_price_usd
    from catalog
)

select * from final
