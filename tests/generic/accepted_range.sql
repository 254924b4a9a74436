{#- Fails for each non-null value outside [min_value, max_value] (bounds optional; exclusive
    when inclusive=false). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

{%- set lower = '>=' if inclusive else '>' -%}
{%- set upper = '<=' if inclusive else '<' -%}

with

checked as (
    select {{ column_name }} as checked_value
    from {{ model }}
    where {{ column_name }} is not null
),

final as (
    select * from checked
    where not (
        true
        {%- if min_value is not none %} and checked_value {{ lower }} {{ min_value }}{% endif %}
        {%- if max_value is not none %} and checked_value {{ upper }} {{ max_value }}{% endif %}
    )
)

select * from final

{% endtest %}
