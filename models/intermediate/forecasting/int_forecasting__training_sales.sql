-- The daily sales of every fitted series, one row per day from its first sale to the end of the
-- evaluation window, with no gaps: days without a usable row are zero (var forecasting_gap_policy
-- zero_fill; under `refuse` a series with gaps is skipped and never gets here).
with

profiles as (
    select * from {{ ref('int_forecasting__series_profile') }}
),

daily_sales as (
    select * from {{ ref('stg_forecasting__daily_sales') }}
),

calendar as (
    select
        store_id,
        item_id,
        training_date,
        explode(sequence(first_sales_date, window_end_date, interval 1 day)) as sales_date
    from profiles
    where skip_reason is null
),

final as (
    select
        -- keys
        calendar.store_id,
        calendar.item_id,
        calendar.sales_date,
        calendar.training_date,
        -- measures
        coalesce(daily_sales.sales_qty, 0) as sales_qty,
        -- flags
        daily_sales.sales_qty is null as is_filled,
        calendar.sales_date <= calendar.training_date as is_training
    from calendar
    left join daily_sales
        on
            calendar.store_id = daily_sales.store_id
            and calendar.item_id = daily_sales.item_id
            and calendar.sales_date = daily_sales.sales_date
)

select * from final
