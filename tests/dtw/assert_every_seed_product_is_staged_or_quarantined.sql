-- Nothing is dropped silently: every seed row is either a staged product (52 weekly rows) or a
-- quarantined row, exactly once.
with

seed_counts as (
    select count(*) as seed_rows
    from {{ ref('dtw_uci_sales_weekly') }}
),

staged_counts as (
    select
        count(distinct product_code) as staged_products,
        count(*) as staged_week_rows
    from {{ ref('stg_dtw__weekly_sales') }}
),

quarantined_counts as (
    select count(*) as quarantined_rows
    from {{ ref('stg_dtw__quarantined_products') }}
),

final as (
    select
        seed_counts.seed_rows,
        staged_counts.staged_products,
        staged_counts.staged_week_rows,
        quarantined_counts.quarantined_rows
    from seed_counts
    cross join staged_counts
    cross join quarantined_counts
    where
        seed_counts.seed_rows != staged_counts.staged_products + quarantined_counts.quarantined_rows
        or staged_counts.staged_week_rows != staged_counts.staged_products * 52
)

select * from final
