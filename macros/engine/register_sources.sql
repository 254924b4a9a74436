{#- Registers every source table that this run needs as an external Parquet table over its raw
    folder, so `dbt build` reads the lake directly. Sources say where their files are with
    meta.raw_path (relative to data/raw) and how to make them with meta.create_with. -#}
{% macro register_sources() %}
    {%- if execute -%}
        {%- for source_node in sources_to_register() -%}
            {%- set create_with = source_node.meta.get('create_with')
                or source_node.source_meta.get('create_with', 'casebook data generate') -%}
            {%- set location = adapter.raw_data_path(source_node.meta['raw_path'], create_with) -%}
            {%- set relation = source_node.schema ~ '.' ~ source_node.identifier -%}
            {% do run_query('create schema if not exists ' ~ source_node.schema) %}
            {#- Drop and re-create (metadata only: the files stay) so the table always has the
                schema of the files now on disk, e.g. after `casebook data ingest`. -#}
            {% do run_query('drop table if exists ' ~ relation) %}
            {% do run_query(
                'create table ' ~ relation ~ ' using parquet location ' ~ "'" ~ location ~ "'"
            ) %}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}


{#- Sources read directly by a node of this run, or selected themselves; all of them when nothing is
    selected. -#}
{% macro sources_to_register() %}
    {%- set needed = [] -%}
    {%- for unique_id in selected_resources if unique_id in graph.nodes -%}
        {%- do needed.extend(graph.nodes[unique_id].depends_on.nodes) -%}
    {%- endfor -%}
    {%- set found = [] -%}
    {%- for source_node in graph.sources.values() if source_node.meta.get('raw_path') -%}
        {#- a selected source itself too: `dbt source freshness` selects sources, not nodes -#}
        {%- if not selected_resources or source_node.unique_id in needed
            or source_node.unique_id in selected_resources -%}
            {%- do found.append(source_node) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}
