{#- Rebuilding as of a past load: var snapshot_as_of (yyyy-mm-dd or yyyy-mm-dd hh:mm:ss, UTC) makes
    staging read the SCD2 snapshots' versions valid at that time instead of the current load. -#}

{#- The var as a SQL timestamp literal, or none when the build reads the current load. -#}
{% macro snapshot_as_of() -%}
    {%- set as_of = var('snapshot_as_of') -%}
    {%- if as_of is none or (as_of | string | trim) == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set as_of = as_of | string | trim -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?', as_of) -%}
        {{ exceptions.raise_compiler_error(
            "var snapshot_as_of is '" ~ as_of ~ "': give a UTC time as yyyy-mm-dd or yyyy-mm-dd hh:mm:ss, "
            ~ "or leave it null to read the current load"
        ) }}
    {%- endif -%}
    {{ return("timestamp'" ~ as_of ~ "'") }}
{%- endmacro %}


{#- Where clause: the versions of a dbt snapshot valid at `as_of` (a timestamp literal). -#}
{% macro snapshot_valid_at(as_of) -%}
    dbt_valid_from <= {{ as_of }} and (dbt_valid_to is null or dbt_valid_to > {{ as_of }})
{%- endmacro %}


{#- A staging model's rows: `select * from current [where current_filter]` for the current load, or
    with var snapshot_as_of the versions of the snapshot `versions` valid then. -#}
{% macro current_or_as_of(current, versions, current_filter=none) -%}
    {%- set as_of = snapshot_as_of() -%}
    {%- if as_of is none -%}
        select * from {{ current }}{% if current_filter %} where {{ current_filter }}{% endif %}
    {%- else -%}
        select * from {{ versions }} where {{ snapshot_valid_at(as_of) }}
    {%- endif -%}
{%- endmacro %}
