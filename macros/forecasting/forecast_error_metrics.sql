{#- The point-forecast error metrics of a group of (actual, predicted) rows, as aggregate columns:
    mae, rmse, mape (percent, over rows with a non-zero actual) and smape (percent; 0 where both
    are 0). Use inside a select with a group by. -#}
{% macro forecast_error_metrics(actual, predicted) %}
    avg(abs({{ actual }} - {{ predicted }})) as mae,
    sqrt(avg(power({{ actual }} - {{ predicted }}, 2))) as rmse,
    100 * avg(
        case when {{ actual }} != 0 then abs({{ actual }} - {{ predicted }}) / abs({{ actual }}) end
    ) as mape,
    100 * avg(
        case
            when abs({{ actual }}) + abs({{ predicted }}) = 0 then 0
            else 2 * abs({{ actual }} - {{ predicted }}) / (abs({{ actual }}) + abs({{ predicted }}))
        end
    ) as smape
{%- endmacro %}
