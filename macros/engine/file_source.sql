{#- A file-based source read together with Spark's hidden _metadata column (file facts): the table
    itself, since the subquery `dbt build --empty` wraps a source in hides _metadata; under --empty
    it reads no rows all the same (`where false`). Use it as the last clause of a CTE's from. -#}
{% macro file_source(relation) -%}
    {{ relation.render() }}{% if relation.limit == 0 %} where false{% endif %}
{%- endmacro %}
