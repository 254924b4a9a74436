{#- The casebook adapter is dbt-spark plus the in-process `session` runner for Python models.
    Macros dispatch casebook__ -> spark__ -> default__, so only what differs lives here. -#}


{#- Every table dbt creates (table, incremental, Python models, stored test failures): when the
    metastore does not know the table, a leftover folder at its location (a build killed after
    Spark wrote files but before the metastore registered the table) is moved to data/recovered/
    with a one-line message, instead of Spark refusing to create the table there. Python models
    write their temporary relation as a table too, so it is checked as well. -#}
{%- macro casebook__create_table_as(temporary, relation, compiled_code, language='sql') -%}
  {%- if execute and (language == 'python' or not temporary) -%}
    {%- set existing = adapter.get_relation(
      database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if existing is none -%}
      {#- A Python model's saveAsTable writes to the schema's folder, whatever location_root says. -#}
      {%- set location_root = config.get('location_root') if language == 'sql' else none -%}
      {%- do adapter.free_table_location(relation, location_root) -%}
    {%- endif -%}
  {%- endif -%}
  {%- if language == 'sql' and not temporary and casebook_contract_on_delta() -%}
    {{- casebook__create_contracted_table(relation, compiled_code) -}}
  {%- else -%}
    {{- spark__create_table_as(temporary, relation, compiled_code, language) -}}
  {%- endif -%}
{%- endmacro -%}


{%- macro casebook_contract_on_delta() -%}
  {{- return(config.get('contract').enforced and config.get('file_format', 'delta') == 'delta') -}}
{%- endmacro -%}


{#- A contracted Delta table: Delta 4 refuses to make an existing column NOT NULL (dbt-spark's
    `alter ... set not null`), so the NOT NULL columns are declared in the CREATE and the CHECK
    constraints added before the rows go in; Delta then enforces both on every later write.
    A rebuild under the same contract (the table's `casebook.contract` property) is one
    `insert overwrite`: one Delta commit, refused whole by Delta if a row breaks a constraint, so a
    crash or a broken row leaves the old rows. Only a new table, or one whose contract or layout
    changed, is re-created; then one query first counts the rows that would break a constraint, so a
    broken contract fails in a sentence before the table is touched. Returns the statement the
    materialization runs as `main`. -#}
{%- macro casebook__create_contracted_table(relation, compiled_code) -%}
  {%- do get_assert_columns_equivalent(compiled_code) -%}
  {%- set select_sql = get_select_subquery(compiled_code) -%}
  {%- set columns = model['columns'] -%}
  {%- set model_constraints = model.get('constraints', []) -%}
  {%- set layout = {} -%}
  {%- for key in ['file_format', 'partition_by', 'clustered_by', 'buckets', 'location_root', 'options', 'tblproperties'] -%}
    {%- do layout.update({key: config.get(key)}) -%}
  {%- endfor -%}
  {%- set fingerprint = adapter.contract_fingerprint(columns, model_constraints, layout) -%}
  {%- if execute and casebook__contract_of(relation) == fingerprint %}
  insert overwrite table {{ relation }}
  {{ select_sql }}
  {%- else -%}
    {%- if execute -%}
      {%- set violations_sql = adapter.contract_violations_sql(columns, model_constraints, select_sql) -%}
      {%- if violations_sql -%}
        {%- do adapter.refuse_contract_violations(model, columns, model_constraints, run_query(violations_sql)) -%}
      {%- endif -%}
      {%- call statement('casebook_create_contracted_table') -%}
        create or replace table {{ relation }} (
          {{ adapter.contract_column_ddl(columns) | join(', ') }}
        )
        {{ file_format_clause() }}
        {{ options_clause() }}
        {{ tblproperties_clause() }}
        {{ partition_cols(label="partitioned by") }}
        {{ clustered_cols(label="clustered by") }}
        {{ location_clause() }}
        {{ comment_clause() }}
      {%- endcall -%}
      {%- for name, expression in adapter.contract_checks(columns, model_constraints) -%}
        {%- call statement('casebook_add_check_' ~ loop.index) -%}
          alter table {{ relation }} add constraint {{ name }} check ({{ expression }})
        {%- endcall -%}
      {%- endfor -%}
      {%- call statement('casebook_record_contract') -%}
        alter table {{ relation }} set tblproperties ('casebook.contract' = '{{ fingerprint }}')
      {%- endcall -%}
    {%- endif %}
  insert into {{ relation }}
  {{ select_sql }}
  {%- endif -%}
{%- endmacro -%}


{#- The contract digest an existing Delta table was created with, or none. -#}
{%- macro casebook__contract_of(relation) -%}
  {%- set existing = adapter.get_relation(
    database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
  {%- if existing is none or not existing.is_table -%}
    {{- return(none) -}}
  {%- endif -%}
  {%- set properties = run_query("show tblproperties " ~ relation ~ " ('casebook.contract')") -%}
  {%- if properties is none or not properties.rows -%}
    {{- return(none) -}}
  {%- endif -%}
  {{- return(properties.rows[0][1]) -}}
{%- endmacro -%}


{#- Constraints of a contracted Delta table are part of its CREATE (above): nothing left to alter. -#}
{%- macro casebook__persist_constraints(relation, model) -%}
  {%- if not casebook_contract_on_delta() -%}
    {%- do spark__persist_constraints(relation, model) -%}
  {%- endif -%}
{%- endmacro -%}


{#- Open-source Delta clones only into a new or empty table (DELTA_UNSUPPORTED_NON_EMPTY_CLONE): a
    table that exists (dbt clone --full-refresh) is replaced by a copy of the state's table, in one
    atomic `create or replace`; a new one is a shallow clone (no data copied). -#}
{%- macro casebook__create_or_replace_clone(this_relation, defer_relation) -%}
  {%- set existing = adapter.get_relation(
    database=this_relation.database, schema=this_relation.schema, identifier=this_relation.identifier) -%}
  {%- if existing is not none and existing.is_table -%}
    create or replace table {{ this_relation }} using delta as select * from {{ defer_relation }}
  {%- else -%}
    create or replace table {{ this_relation }} shallow clone {{ defer_relation }}
  {%- endif -%}
{%- endmacro -%}
