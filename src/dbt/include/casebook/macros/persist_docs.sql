{#- Docs in the tables (persist_docs), so BI tools browsing the Thrift server see them.

    dbt-spark writes a table's comment only in the CREATE of a SQL model and its column comments
    with one ALTER (one Delta commit) per column. Here a Python model's table gets its comment too
    (its saveAsTable has no comment clause), and all column comments of a table go in one ALTER. -#}
{%- macro casebook__persist_docs(relation, model, for_relation, for_columns) -%}
  {#- A Python model is a table (or incremental table), whose relation here may carry no type. -#}
  {%- if for_relation and config.persist_relation_docs() and model.description
        and model.language == 'python' -%}
    {%- do run_query(casebook_comment_on_table_sql(relation, model.description)) -%}
  {%- endif -%}
  {%- if for_columns and config.persist_column_docs() and model.columns -%}
    {%- set existing_columns = adapter.get_columns_in_relation(relation) | map(attribute="name") | list -%}
    {%- set documented = validate_doc_columns(relation, model.columns, existing_columns) -%}
    {%- do alter_column_comment(relation, documented) -%}
  {%- endif -%}
{%- endmacro -%}


{%- macro casebook_comment_on_table_sql(relation, description) -%}
  comment on table {{ relation }} is '{{ description | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro -%}


{#- One `alter table ... alter column a comment '...', b comment '...'` (Spark 4) per table. -#}
{%- macro casebook__alter_column_comment(relation, column_dict) -%}
  {%- set described = [] -%}
  {%- for column_name in column_dict if column_dict[column_name]['description'] -%}
    {%- do described.append(column_name) -%}
  {%- endfor -%}
  {%- if described and config.get('file_format', validator=validation.any[basestring]) in ['delta', 'hudi', 'iceberg'] -%}
    {%- set specs = [] -%}
    {%- for column_name in described -%}
      {%- set column = column_dict[column_name] -%}
      {%- set quoted = adapter.quote(column_name) if column['quote'] else column_name -%}
      {%- set escaped = column['description'] | replace("\\", "\\\\") | replace("'", "\\'") -%}
      {%- do specs.append(quoted ~ " comment '" ~ escaped ~ "'") -%}
    {%- endfor -%}
    {%- do run_query("alter table " ~ relation ~ " alter column " ~ specs | join(", ")) -%}
  {%- endif -%}
{%- endmacro -%}
