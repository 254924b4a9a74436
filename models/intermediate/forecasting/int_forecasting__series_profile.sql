-- One row per (store, item) with usable sales: its span, its gaps, the training date and whether it
-- is fitted (skip_reason null) or skipped, and why. The one place where a series' eligibility is decided.
{%- set cutoff = var('forecasting_training_cutoff_date') %}
{%- set horizon = var('forecasting_horizon_days') | int %}
with

daily_sales as (
    select * from {{ ref('stg_forecasting__daily_sales') }}
),

training_window as (
    select
        {% if cutoff -%}
            cast('{{ cutoff }}' as date) as training_date,
        {%- else -%}
            date_sub(max(sales_date), {{ horizon }}) as training_date,
        {%- endif %}
        max(sales_date) as last_data_date
    from daily_sales
),

series_spans as (
    select
        daily_sales.store_id,
        daily_sales.item_id,
        training_window.training_date,
        least(date_add(training_window.training_date, {{ horizon }}), training_window.last_data_date)
            as window_end_date,
        min(daily_sales.sales_date) as first_sales_date,
        max(daily_sales.sales_date) as last_sales_date,
        -- days with a usable row up to the end of the evaluation window
        count_if(
            daily_sales.sales_date
            <= least(date_add(training_window.training_date, {{ horizon }}), training_window.last_data_date)
        ) as delivered_days
    from daily_sales
    cross join training_window
    group by
        daily_sales.store_id,
        daily_sales.item_id,
        training_window.training_date,
        training_window.last_data_date
),

series_days as (
    select
        *,
        datediff(window_end_date, first_sales_date) + 1 as expected_days,
        greatest(datediff(training_date, first_sales_date) + 1, 0) as training_days
    from series_spans
),

final as (
    select
        -- keys
        store_id,
        item_id,
        -- span
        training_date,
        window_end_date,
        first_sales_date,
        last_sales_date,
        training_days,
        expected_days,
        delivered_days,
        expected_days - delivered_days as missing_days,
        -- eligibility
        case
            when training_days < {{ var('forecasting_min_training_days') | int }} then 'too_short'
            {%- if var('forecasting_gap_policy') == 'refuse' %}
            when expected_days > delivered_days then 'date_gaps'
            {%- elif var('forecasting_gap_policy') != 'zero_fill' %}
                {{ exceptions.raise_compiler_error(
                    "forecasting_gap_policy must be zero_fill or refuse, got " ~ var('forecasting_gap_policy')
                ) }}
            {%- endif %}
        end as skip_reason
    from series_days
)

select * from final
