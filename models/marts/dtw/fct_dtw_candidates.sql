-- Products worth making next year: sales shaped like the capacity pattern (small DTW distance) and
-- selling about as many units a week as the factory can make (within a band around its mean capacity).
with

distances as (
    select * from {{ ref('fct_dtw_distances') }}
),

weekly_sales as (
    select * from {{ ref('stg_dtw__weekly_sales') }}
),

capacity_pattern as (
    select * from {{ ref('stg_dtw__capacity_pattern') }}
),

product_units as (
    select
        product_code,
        avg(sales_units) as mean_weekly_units
    from weekly_sales
    group by product_code
),

capacity_level as (
    select avg(capacity_units) as capacity_mean_weekly_units
    from capacity_pattern
),

compared as (
    select
        distances.product_code,
        distances.stretch_factor,
        distances.window_weeks,
        distances.dtw_distance,
        distances.distance_zscore,
        product_units.mean_weekly_units,
        capacity_level.capacity_mean_weekly_units,
        product_units.mean_weekly_units / capacity_level.capacity_mean_weekly_units - 1 as units_gap_ratio
    from distances
    inner join product_units on distances.product_code = product_units.product_code
    cross join capacity_level
),

candidates as (
    select *
    from compared
    where
        distance_zscore <= {{ var('dtw_candidate_max_distance_zscore') }}
        and abs(units_gap_ratio) <= {{ var('dtw_capacity_band_ratio') }}
),

final as (
    select
        -- keys
        product_code,
        stretch_factor,
        -- shape: how close the sales curve is to the capacity curve
        window_weeks,
        dtw_distance,
        distance_zscore,
        row_number() over (
            partition by stretch_factor order by dtw_distance asc, product_code asc
        ) as candidate_rank,
        -- level: how many units a week, against the capacity
        mean_weekly_units,
        capacity_mean_weekly_units,
        units_gap_ratio
    from candidates
)

select * from final
