{#- Fails (one row) when the model and compare_model (its rows matching compare_where, if given) have
    different row counts. -#}
{% test equal_rowcount(model, compare_model, compare_where=none) %}

with

model_rows as (
    select count(*) as row_count from {{ model }}
),

compare_rows as (
    select count(*) as row_count from {{ compare_model }}
    {%- if compare_where %} where {{ compare_where }}{% endif %}
),

final as (
    select
        model_rows.row_count as model_row_count,
        compare_rows.row_count as compare_row_count
    from model_rows
    cross join compare_rows
    where model_rows.row_count != compare_rows.row_count
)

select * from final

{% endtest %}
