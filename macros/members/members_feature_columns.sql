{#- The member feature pivot's columns: one count per (look-back window, event type, category). -#}

{#- The product categories, read from the catalog seed (run_query), sorted. Before the seed is
    loaded (e.g. `dbt compile` on an empty warehouse, or at parse time) there are none. -#}
{% macro members_feature_categories() %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' -%}
        {#- a dbt unit test's inputs are CTEs, which cannot be queried while compiling: the test names
            its categories in var members_feature_categories (overrides: vars:) -#}
        {{ return(var('members_feature_categories', []) | sort) }}
    {%- endif -%}
    {%- set catalog = load_relation(ref('members_product_catalog')) -%}
    {%- if catalog is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set result = run_query(
        'select distinct category from ' ~ catalog ~ ' where category is not null order by category'
    ) -%}
    {{ return(result.columns[0].values() | list) }}
{% endmacro %}


{#- Every feature column as a dict: name (<event_type>_<category>_<window>d_count), event_type,
    category, window_days. Windows and event types come from vars, categories from the seed. -#}
{% macro members_feature_columns() %}
    {%- set categories = members_feature_categories() -%}
    {%- set columns = [] -%}
    {%- for window_days in var('members_feature_windows_days') -%}
        {%- for event_type in var('members_event_types') -%}
            {%- for category in categories -%}
                {%- do columns.append({
                    'name': event_type ~ '_' ~ category ~ '_' ~ window_days ~ 'd_count',
                    'event_type': event_type,
                    'category': category,
                    'window_days': window_days,
                }) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}


{#- The pivot's select list: for each feature column, the count of events of its type and category
    that happened 1 to window_days days before the as-of date (days_before_column). Every item ends
    with a comma, so the list may be empty: the caller writes at least one column after it. -#}
{% macro members_feature_pivot(event_type_column, category_column, days_before_column) %}
    {%- for column in members_feature_columns() %}
    count_if(
        {{ event_type_column }} = '{{ column.event_type }}'
        and {{ category_column }} = '{{ column.category }}'
        and {{ days_before_column }} <= {{ column.window_days }}
    ) as {{ column.name }},
    {%- endfor %}
{% endmacro %}
