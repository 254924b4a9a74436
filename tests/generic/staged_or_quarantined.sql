{#- Nothing is dropped silently: fails (one row) unless every row of the raw relation is either in
    the staged model or in the quarantine, exactly once. A quarantine shared by several raw tables
    tells them apart by its source_table column: pass the name. -#}
{% test staged_or_quarantined(model, raw_relation, quarantine_model, source_table=none) %}

with

raw_rows as (
    select count(*) as row_count from {{ raw_relation }}
),

staged_rows as (
    select count(*) as row_count from {{ model }}
),

quarantined_rows as (
    select count(*) as row_count
    from {{ quarantine_model }}
    {% if source_table is not none %}
        where source_table = '{{ source_table }}'
    {% endif %}
),

final as (
    select
        raw_rows.row_count as raw_row_count,
        staged_rows.row_count as staged_row_count,
        quarantined_rows.row_count as quarantined_row_count
    from raw_rows
    cross join staged_rows
    cross join quarantined_rows
    where raw_rows.row_count != staged_rows.row_count + quarantined_rows.row_count
)

select * from final

{% endtest %}
