{#- SCD2 history of the usable stock, one version per new count of a (location, material).
    Staging reads it instead of the current load when var snapshot_as_of is set. -#}
{% snapshot snap_inventory__stock %}
    {#- One key column: with a list unique_key and hard_deletes, dbt's staging query names its
        dbt_unique_key_1 twice, which Spark refuses as ambiguous. -#}
    {{ config(
        unique_key="location_id || '|' || material_id",
        strategy='check',
        check_cols=['snapshot_date', 'on_hand_qty'],
        hard_deletes='invalidate',
    ) }}

    with

    checked_stock as (
        select * from {{ ref('base_inventory__stock_checked') }}
    ),

    final as (
        select
            location_id,
            material_id,
            snapshot_date,
            on_hand_qty
        from checked_stock
        where quarantine_reason is null
    )

    select * from final
{% endsnapshot %}
