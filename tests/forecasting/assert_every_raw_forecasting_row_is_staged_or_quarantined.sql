-- Nothing is dropped silently: every raw sales row is either staged or quarantined, exactly once.
with

raw_rows as (
    select count(*) as counted_rows from {{ source('forecasting', 'sales') }}
),

staged_rows as (
    select count(*) as counted_rows from {{ ref('stg_forecasting__daily_sales') }}
),

quarantined_rows as (
    select count(*) as counted_rows from {{ ref('stg_forecasting__quarantined_records') }}
),

final as (
    select
        raw_rows.counted_rows as raw_row_count,
        staged_rows.counted_rows as staged_row_count,
        quarantined_rows.counted_rows as quarantined_row_count
    from raw_rows
    cross join staged_rows
    cross join quarantined_rows
    where raw_rows.counted_rows != staged_rows.counted_rows + quarantined_rows.counted_rows
)

select * from final
