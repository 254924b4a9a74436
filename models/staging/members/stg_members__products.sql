-- The product catalog: the current seed, or with var snapshot_as_of the versions of
-- snap_members__product_catalog valid then (a rebuild as of a past load).
with

catalog as (
    {{ current_or_as_of(ref('members_product_catalog'), ref('snap_members__product_catalog')) }}
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
