-- Every product row of the UCI seed, its 52 weekly unit counts W0..W51 as an array, and the reason it
-- cannot be used (null when it can). The one place where product validity is decided:
-- stg_dtw__weekly_sales unpivots the good products, stg_dtw__quarantined_products keeps the rest.
-- DTW compares whole years, so one bad week refuses the whole product.
--
-- A Delta table, not a view: the staged rows, the quarantine and their tests all read the result;
-- one build checks the raw files once instead of once per reader.
{{ config(materialized='table') }}
{%- set weeks = 52 %}
with

source as (
    select * from {{ ref('dtw_uci_sales_weekly') }}
),

typed as (
    select
        nullif(trim(cast(product_code as string)), '') as product_code,
        array(
            {%- for week in range(weeks) %}
                cast(w{{ week }} as double){{ ',' if not loop.last }}
            {%- endfor %}
        ) as weekly_units
    from source
),

counted as (
    select
        *,
        count(*) over (partition by product_code) as product_code_rows
    from typed
),

final as (
    select
        product_code,
        weekly_units,
        case
            when product_code is null then 'missing_product_code'
            when product_code_rows > 1 then 'duplicate_product_code'
            when exists(weekly_units, units -> units is null) then 'missing_week'
            when exists(weekly_units, units -> units != floor(units)) then 'non_integer_units'
            when exists(weekly_units, units -> units < 0) then 'negative_units'
            when forall(weekly_units, units -> units = 0) then 'all_zero_units'
        end as quarantine_reason
    from counted
)

select * from final
