{#- Seeds in one Delta commit. dbt-spark reloads a seed as drop -> create -> insert, so a process
    killed in between leaves the seed empty or gone. Here the CSV's rows go into temporary views
    (in memory, no files), and `create or replace table ... as select` swaps them in with one commit:
    a crash at any moment leaves the old rows or the new ones. Cells are SQL literals, not bindings:
    an empty cell is NULL and quotes and backslashes round-trip. A seed whose table is not Delta
    (another file_format) keeps dbt-spark's drop -> create -> insert, with the same literals. -#}

{% materialization seed, adapter='casebook' %}

  {%- set identifier = model['alias'] -%}
  {%- set full_refresh_mode = (should_full_refresh()) -%}
  {%- set old_relation = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}
  {%- set exists_as_table = (old_relation is not none and old_relation.is_table) -%}
  {%- set exists_as_view = (old_relation is not none and old_relation.is_view) -%}
  {%- set is_delta_format = (config.get('file_format', validator=validation.any[basestring]) == 'delta') -%}
  {%- set target_relation = this.incorporate(type='table') -%}

  {%- set grant_config = config.get('grants') -%}
  {%- set agate_table = load_agate_table() -%}
  {%- do store_result('agate_table', response='OK', agate_table=agate_table) -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% if exists_as_view %}
    {{ exceptions.raise_compiler_error("Cannot seed to '{}', it is a view".format(old_relation.render())) }}
  {% endif %}

  {% set rows_affected = (agate_table.rows | length) %}
  {% set code = 'CREATE' if full_refresh_mode else 'INSERT' %}
  {#- A Delta table is replaced in place; any other table is dropped first, then created in one go. -#}
  {% set replace_in_place = is_delta_format and (old_relation is none or old_relation.is_delta) %}
  {% if exists_as_table and not replace_in_place %}
    {% do adapter.drop_relation(old_relation) %}
  {% endif %}
  {% if old_relation is none or not replace_in_place %}
    {% do adapter.free_table_location(target_relation, config.get('location_root')) %}
  {% endif %}
  {% set sql = casebook_replace_seed_table(model, agate_table, target_relation, is_delta_format) %}

  {% call noop_statement('main', code ~ ' ' ~ rows_affected, code, rows_affected) %}
    {{ sql }};
  {% endcall %}

  {% set should_revoke = should_revoke(old_relation, full_refresh_mode) %}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}

  {% do persist_docs(target_relation, model) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}


{#- The seed's columns: name as written in the table, and type (column_types, else inferred). -#}
{% macro casebook_seed_columns(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
  {%- set columns = [] -%}
  {%- for col_name in agate_table.column_names -%}
    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
    {%- do columns.append({
      'name': adapter.quote_seed_column(col_name | string, quote_seed_column),
      'type': column_override.get(col_name, inferred_type),
    }) -%}
  {%- endfor -%}
  {{ return(columns) }}
{% endmacro %}


{#- Stage the rows in temporary views (one per batch), then replace the table in one commit. -#}
{% macro casebook_replace_seed_table(model, agate_table, relation, or_replace=true) %}
  {%- set columns = casebook_seed_columns(model, agate_table) -%}
  {%- set stage_prefix = relation.schema ~ '__' ~ relation.identifier ~ '__dbt_seed_stage_' -%}
  {%- set stage_views = [] -%}
  {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
    {%- set stage_view = stage_prefix ~ loop.index0 -%}
    {%- do stage_views.append(stage_view) -%}
    {% call statement('seed_stage_' ~ loop.index0) -%}
      create or replace temporary view {{ stage_view }} as
      select * from values
        {{ adapter.seed_values_rows(chunk) | join(',\n        ') }}
      as seed_rows ({%- for column in columns -%}c{{ loop.index0 }}{{ ', ' if not loop.last }}{%- endfor -%})
    {%- endcall %}
  {%- endfor -%}

  {%- set sql -%}
    create {{ 'or replace ' if or_replace }}table {{ relation }}
    {{ file_format_clause() }}
    {{ partition_cols(label="partitioned by") }}
    {{ clustered_cols(label="clustered by") }}
    {{ location_clause() }}
    {{ comment_clause() }}
    as
    select
      {%- for column in columns %}
      cast({{ 'c' ~ loop.index0 if stage_views else 'null' }} as {{ column.type }}) as {{ column.name }}
      {{- ',' if not loop.last }}
      {%- endfor %}
    from
    {%- if stage_views %}
      (
      {%- for stage_view in stage_views %}
        select * from {{ stage_view }}{{ ' union all' if not loop.last }}
      {%- endfor %}
      ) as seed_rows
    {%- else %}
      (select 1) as no_rows
    where false
    {%- endif %}
  {%- endset -%}

  {% call statement('seed_swap') -%}
    {{ sql }}
  {%- endcall %}

  {%- for stage_view in stage_views %}
    {% call statement('seed_unstage_' ~ loop.index0) -%}
      drop view if exists {{ stage_view }}
    {%- endcall %}
  {%- endfor %}

  {{ return(sql) }}
{% endmacro %}


{#- dbt-spark's row insert, for any caller of load_csv_rows: literals instead of string-formatted
    bindings. -#}
{% macro casebook__load_csv_rows(model, agate_table) %}
  {%- set columns = casebook_seed_columns(model, agate_table) -%}
  {%- set statements = [] -%}
  {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
    {%- set sql -%}
      insert into {{ this.render() }}
      select
        {%- for column in columns %}
        cast(c{{ loop.index0 }} as {{ column.type }}){{ ',' if not loop.last }}
        {%- endfor %}
      from values
        {{ adapter.seed_values_rows(chunk) | join(',\n        ') }}
      as seed_rows ({%- for column in columns -%}c{{ loop.index0 }}{{ ', ' if not loop.last }}{%- endfor -%})
    {%- endset -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {%- if loop.index0 == 0 -%}
      {%- do statements.append(sql) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(statements[0] if statements else '') }}
{% endmacro %}
