{#- SCD2 history of the usable material master, one version per change of lead time or unit cost.
    Staging reads it instead of the current load when var snapshot_as_of is set. -#}
{% snapshot snap_inventory__materials %}
    {#- One key column: with a list unique_key and hard_deletes, dbt's staging query names its
        dbt_unique_key_1 twice, which Spark refuses as ambiguous. -#}
    {{ config(
        unique_key="location_id || '|' || material_id",
        strategy='check',
        check_cols=['lead_time_days', 'unit_cost_usd'],
        hard_deletes='invalidate',
    ) }}

    with

    checked_materials as (
        select * from {{ ref('base_inventory__materials_checked') }}
    ),

    final as (
        select
            location_id,
            material_id,
            lead_time_days,
            unit_cost_usd
        from checked_materials
        where quarantine_reason is null
    )

    select * from final
{% endsnapshot %}
