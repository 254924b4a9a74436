{#- Fails for each row where the boolean SQL expression is not true (model- or column-level). -#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
