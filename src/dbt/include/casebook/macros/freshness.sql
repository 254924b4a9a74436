{#- Source freshness: the newest loaded_at_field, or, for a file-based source that holds no rows
    (a landed but empty table such as halts), the newest file's modification time: it was landed
    then, so it is as fresh as its files, not "never loaded". -#}
{% macro casebook__collect_freshness(source, loaded_at_field, filter) %}
  {%- set files_modified_at = adapter.files_modified_at(source) if execute and not filter else none -%}
  {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
    select
      {% if files_modified_at -%}
      coalesce(max({{ loaded_at_field }}), {{ files_modified_at }}) as max_loaded_at,
      {%- else -%}
      max({{ loaded_at_field }}) as max_loaded_at,
      {%- endif %}
      {{ current_timestamp() }} as snapshotted_at
    from {{ source }}
    {% if filter %}
    where {{ filter }}
    {% endif %}
  {% endcall %}
  {{ return(load_result('collect_freshness')) }}
{% endmacro %}
