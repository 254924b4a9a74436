{#- Production targets build the schema their folder names (staging, marts, ...), not target_schema +
    suffix: the warehouse is the project's own, so the short names are what BI users see. Every other
    target (dev, ci) prefixes them with its own `schema` (dev_<user>_marts), so a dev or CI build on
    the shared metastore never writes a production table. Which targets are production: var
    production_targets. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set schema = (custom_schema_name or target.schema) | trim -%}
    {%- if is_production_target() or schema == target.schema -%}
        {{ schema }}
    {%- else -%}
        {{ target.schema | trim }}_{{ schema }}
    {%- endif -%}
{%- endmacro %}


{#- True when this run's target builds the production schemas (var production_targets). -#}
{% macro is_production_target() -%}
    {{ return(target.name in var('production_targets')) }}
{%- endmacro %}
