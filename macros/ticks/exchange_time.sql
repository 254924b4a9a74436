{#- A UTC instant as exchange wall-clock time (a timestamp whose clock reads the exchange's time). -#}
{% macro to_exchange_time(utc_ts) -%}
    from_utc_timestamp({{ utc_ts }}, '{{ var("ticks_exchange_timezone") }}')
{%- endmacro %}


{#- True when an exchange wall-clock time lies in the regular session [open, close). -#}
{% macro is_market_hours(exchange_ts) -%}
    date_format({{ exchange_ts }}, 'HH:mm:ss.SSSSSS') >= '{{ var("ticks_market_open") }}'
    and date_format({{ exchange_ts }}, 'HH:mm:ss.SSSSSS') < '{{ var("ticks_market_close") }}'
{%- endmacro %}
