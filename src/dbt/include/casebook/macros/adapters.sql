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
  {{- spark__create_table_as(temporary, relation, compiled_code, language) -}}
{%- endmacro -%}
