-- depends_on: {{ ref('members_product_catalog') }} {{ ref('fct_member_features') }}
-- fct_member_features has exactly the columns the pivot macro generates (vars x catalog seed), in order.
{%- set expected = ['member_id', 'as_of_date', 'sample_role'] %}
{%- for column in members_feature_columns() %}
    {%- do expected.append(column.name) %}
{%- endfor %}
{%- do expected.append('longest_window_event_count') %}
{%- set actual = [] %}
{%- if execute %}
    {%- for column in adapter.get_columns_in_relation(ref('fct_member_features')) %}
        {%- do actual.append(column.name | lower) %}
    {%- endfor %}
{%- endif %}
with

columns_compared as (
    select
        {{ expected | length }} as expected_columns,
        {{ actual | length }} as actual_columns,
        {{ 'true' if expected == actual else 'false' }} as is_same_column_list,
        -- a pivot without any category means the catalog seed was not read
        {{ (expected | length) > 4 }} as has_feature_columns
),

final as (
    select *
    from columns_compared
    where not is_same_column_list or not has_feature_columns
)

select * from final
