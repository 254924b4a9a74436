{#- Models land in the schema their folder names (staging, marts, ...), not target_schema + suffix:
    the warehouse is the project's own, so the short names are what BI users should see. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
