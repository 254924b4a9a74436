{#- A model's simple column checks in one query: one scan counts the rows that break each check,
    and the test fails with one row per broken check (column, check, failing_rows). Each check means
    what the one-column test of the same name means:
      not_null:          the column has no nulls;
      accepted_range:    every non-null value lies within min_value/max_value (inclusive unless
                         inclusive is false);
      accepted_values:   every non-null value is one of values (compared as strings unless quote is false);
      expression_is_true: the expression is true on every row (null counts as false).
    Why one query: each dbt test is its own Spark job, and on small tables its fixed cost (plan, code
    generation, scheduling, the JIT) is most of its time. -#}
{% test column_checks(model, not_null=[], accepted_range={}, accepted_values={}, expression_is_true=[]) %}

{%- set checks = [] -%}
{%- for column in not_null -%}
    {%- do checks.append((column, 'not_null', column ~ ' is null')) -%}
{%- endfor -%}
{%- for column, bounds in accepted_range.items() -%}
    {%- if bounds.keys() | reject('in', ['min_value', 'max_value', 'inclusive']) | list
        or (bounds.get('min_value') is none and bounds.get('max_value') is none) -%}
        {{ exceptions.raise_compiler_error("column_checks: accepted_range of " ~ column ~ " takes min_value and/or max_value (and inclusive), got " ~ bounds ~ ".") }}
    {%- endif -%}
    {%- set inclusive = bounds.get('inclusive', true) -%}
    {%- set within = ['true'] -%}
    {%- if bounds.get('min_value') is not none -%}
        {%- do within.append(column ~ (' >= ' if inclusive else ' > ') ~ bounds['min_value']) -%}
    {%- endif -%}
    {%- if bounds.get('max_value') is not none -%}
        {%- do within.append(column ~ (' <= ' if inclusive else ' < ') ~ bounds['max_value']) -%}
    {%- endif -%}
    {%- do checks.append((column, 'accepted_range', column ~ ' is not null and not (' ~ within | join(' and ') ~ ')')) -%}
{%- endfor -%}
{%- for column, spec in accepted_values.items() -%}
    {%- if spec.keys() | reject('in', ['values', 'quote']) | list or not spec.get('values') -%}
        {{ exceptions.raise_compiler_error("column_checks: accepted_values of " ~ column ~ " takes values (a non-empty list) and quote, got " ~ spec ~ ".") }}
    {%- endif -%}
    {%- set quoted_values = [] -%}
    {%- for value in spec['values'] -%}
        {%- if spec.get('quote', true) -%}
            {%- do quoted_values.append("'" ~ (value | string | replace("\\", "\\\\") | replace("'", "\\'")) ~ "'") -%}
        {%- else -%}
            {%- do quoted_values.append(value | string) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do checks.append((column, 'accepted_values', column ~ ' is not null and ' ~ column ~ ' not in (' ~ quoted_values | join(', ') ~ ')')) -%}
{%- endfor -%}
{%- for expression in expression_is_true -%}
    {%- do checks.append(('', 'expression_is_true: ' ~ expression, 'not coalesce(' ~ expression ~ ', false)')) -%}
{%- endfor -%}

{%- if checks | length == 0 -%}
    {{ exceptions.raise_compiler_error("column_checks names no checks: list at least one column or expression.") }}
{%- endif -%}

with

broken_counts as (
    select
    {%- for column, check, broken in checks %}
        count_if({{ broken }}) as broken_{{ loop.index }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ model }}
),

per_check as (
    select
        stack(
            {{ checks | length }},
        {%- for column, check, broken in checks %}
            '{{ column }}', '{{ check | replace("\\", "\\\\") | replace("'", "\\'") }}', broken_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
        ) as (column_name, check_name, failing_rows)
    from broken_counts
),

final as (
    select * from per_check
    where failing_rows > 0
)

select * from final

{% endtest %}
