{#- A UTC instant as exchange wall-clock time (a timestamp whose clock reads the exchange's time). -#}
{% macro to_exchange_time(utc_ts) -%}
    from_utc_timestamp({{ utc_ts }}, '{{ var("ticks_exchange_timezone") }}')
{%- endmacro %}


{#- True when an exchange wall-clock time lies in the regular session [open, close). The time of day
    is arithmetic on the timestamp's microseconds: formatting each trade's time as text to compare
    it took over a third of the VWAP bars' scan at 10M trades (docs/benchmarks.md). -#}
{% macro is_market_hours(exchange_ts) -%}
    {%- set time_of_day = 'pmod(unix_micros(' ~ exchange_ts ~ '), 86400000000)' -%}
    {{ time_of_day }} >= {{ time_of_day_micros('ticks_market_open') }}
    and {{ time_of_day }} < {{ time_of_day_micros('ticks_market_close') }}
{%- endmacro %}


{#- Microseconds since midnight of a var holding a time of day, HH:MM, HH:MM:SS or HH:MM:SS.ffffff. -#}
{% macro time_of_day_micros(var_name) -%}
    {%- set text = var(var_name) | string | trim -%}
    {%- set parts = modules.re.fullmatch('([01][0-9]|2[0-3]):([0-5][0-9])(:([0-5][0-9])([.]([0-9]{1,6}))?)?', text) -%}
    {%- if not parts -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ var_name ~ " is '" ~ text ~ "': give a time of day as HH:MM:SS in quotes, e.g. '09:30:00'"
        ) }}
    {%- endif -%}
    {%- set seconds = (parts.group(1) | int) * 3600 + (parts.group(2) | int) * 60 + (parts.group(4) or '0') | int -%}
    {%- set fraction = ((parts.group(6) or '') ~ '000000')[:6] | int -%}
    {{ seconds * 1000000 + fraction }}
{%- endmacro %}
