{#- As-of join: each row of `left` gets the columns of the latest row of `right` at or before it,
    within the same `by` key. On equal timestamps the right row counts as earlier (a quote stamped
    with the trade's own time is visible to it); among right rows with equal timestamps the one
    with the highest `right_order` wins.

    One sort instead of a range join: both sides are unioned, ordered by (key, time, side, order),
    and the last non-null right row is carried forward. `by` names plain columns of both sides: the
    window partitions on them directly (hashing a struct of them is slower). Rows of `right` older than
    `tolerance_seconds` (when given) count as missing. Returns a select statement. -#}
{% macro asof_join(
    left,
    right,
    by,
    left_ts,
    right_ts,
    right_columns,
    right_order,
    tolerance_seconds=none
) %}
    {%- set carried = right_columns.keys() | list -%}
    select
        asof_left.*,
        {%- for column in carried %}
        {%- if tolerance_seconds is not none %}
        case
            when asof_right.asof_right_ts
                >= asof_left_ts - make_dt_interval(0, 0, 0, {{ tolerance_seconds }})
                then asof_right.{{ column }}
        end as {{ column }}{{ ',' if not loop.last }}
        {%- else %}
        asof_right.{{ column }}{{ ',' if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from (
        select
            asof_left,
            asof_left_ts,
            last(asof_right, true) over (
                partition by {{ by }}
                order by asof_ts, asof_side, asof_order
                rows between unbounded preceding and current row
            ) as asof_right
        from (
            select
                {{ by }},
                {{ left_ts }} as asof_ts,
                1 as asof_side,
                cast(null as bigint) as asof_order,
                struct(*) as asof_left,
                {{ left_ts }} as asof_left_ts,
                null as asof_right
            from {{ left }}

            union all

            select
                {{ by }},
                {{ right_ts }} as asof_ts,
                0 as asof_side,
                cast({{ right_order }} as bigint) as asof_order,
                null as asof_left,
                null as asof_left_ts,
                named_struct(
                    'asof_right_ts', {{ right_ts }},
                    {%- for name, expression in right_columns.items() %}
                    '{{ name }}', {{ expression }}{{ ',' if not loop.last }}
                    {%- endfor %}
                ) as asof_right
            from {{ right }}
        ) as asof_events
    ) as asof_carried
    where asof_left is not null
{% endmacro %}
