{#- A model's simple column and grain checks in one query: one scan counts the rows that break each check,
    and the test fails with one row per broken check (column, check, failing_rows). Each check means
    what the one-column test of the same name means:
      not_null:          the column has no nulls;
      not_null_where:    {condition: [columns]}: none of the columns is null on a row where the
                         condition is true (the one-column not_null with config where: condition);
      accepted_range:    every non-null value lies within min_value/max_value (inclusive unless
                         inclusive is false);
      accepted_values:   every non-null value is one of values (compared as strings unless quote is false);
      expression_is_true: the expression is true on every row (null counts as false);
      unique:            no non-null value of the column appears twice (failing_rows: the rows
                         that repeat a value already seen);
      unique_combination_of_columns: no combination of the listed columns appears twice, nulls
                         matching nulls as in a group by (failing_rows: the repeating rows).
    Why one query: each dbt test is its own Spark job, and on small tables its fixed cost (plan, code
    generation, scheduling, the JIT) is most of its time. -#}
{% test column_checks(model, not_null=[], not_null_where={}, accepted_range={}, accepted_values={}, expression_is_true=[], unique=[], unique_combination_of_columns=[]) %}

{%- set checks = [] -%}
{%- for name, columns in [('not_null', not_null), ('unique', unique), ('expression_is_true', expression_is_true)] -%}
    {%- if columns is string -%}
        {{ exceptions.raise_compiler_error("column_checks: " ~ name ~ " takes a list, got " ~ columns ~ ": write [" ~ columns ~ "].") }}
    {%- endif -%}
{%- endfor -%}
{%- for column in not_null -%}
    {%- do checks.append((column, 'not_null', 'count_if(' ~ column ~ ' is null)')) -%}
{%- endfor -%}
{%- if not_null_where is not mapping -%}
    {{ exceptions.raise_compiler_error("column_checks: not_null_where takes {condition: [columns]}, got " ~ not_null_where ~ ".") }}
{%- endif -%}
{%- for condition, columns in not_null_where.items() -%}
    {%- if columns is string or not columns -%}
        {{ exceptions.raise_compiler_error("column_checks: not_null_where takes {condition: [columns]}, got " ~ condition ~ ": " ~ columns ~ ".") }}
    {%- endif -%}
    {%- for column in columns -%}
        {#- A row whose condition is null is left out, as the where of a one-column test leaves it out. -#}
        {%- do checks.append((column, 'not_null where ' ~ condition, 'count_if((' ~ condition ~ ') and ' ~ column ~ ' is null)')) -%}
    {%- endfor -%}
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
    {%- do checks.append((column, 'accepted_range', 'count_if(' ~ column ~ ' is not null and not (' ~ within | join(' and ') ~ '))')) -%}
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
    {%- do checks.append((column, 'accepted_values', 'count_if(' ~ column ~ ' is not null and ' ~ column ~ ' not in (' ~ quoted_values | join(', ') ~ '))')) -%}
{%- endfor -%}
{%- for expression in expression_is_true -%}
    {%- do checks.append(('', 'expression_is_true: ' ~ expression, 'count_if(not coalesce(' ~ expression ~ ', false))')) -%}
{%- endfor -%}
{#- A grain check counts the rows beyond the first of each value: count(distinct) leaves nulls out, as
    the unique test does, and a struct is never null, so a combination's nulls group like group by's. -#}
{%- for column in unique -%}
    {%- do checks.append((column, 'unique', 'count(' ~ column ~ ') - count(distinct ' ~ column ~ ')')) -%}
{%- endfor -%}
{%- for columns in unique_combination_of_columns -%}
    {%- if columns is string or not columns -%}
        {{ exceptions.raise_compiler_error("column_checks: unique_combination_of_columns takes a list of column lists, got " ~ columns ~ ".") }}
    {%- endif -%}
    {%- do checks.append((columns | join(', '), 'unique_combination_of_columns', 'count(*) - count(distinct struct(' ~ columns | join(', ') ~ '))')) -%}
{%- endfor -%}

{%- if checks | length == 0 -%}
    {{ exceptions.raise_compiler_error("column_checks names no checks: list at least one column or expression.") }}
{%- endif -%}

with

broken_counts as (
    select
    {%- for column, check, broken_rows in checks %}
        {{ broken_rows }} as broken_{{ loop.index }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ model }}
),

per_check as (
    select
        stack(
            {{ checks | length }},
        {%- for column, check, broken_rows in checks %}
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
