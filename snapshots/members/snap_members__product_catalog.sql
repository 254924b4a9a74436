{#- SCD2 history of the member product catalog, one version per change of name, category or price.
    Staging reads it instead of the current seed when var snapshot_as_of is set. -#}
{% snapshot snap_members__product_catalog %}
    {{ config(
        unique_key='product_id',
        strategy='check',
        check_cols=['product_name', 'category', 'list_price_usd'],
        hard_deletes='invalidate',
    ) }}

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
{% endsnapshot %}
