-- The products closest to and farthest from the capacity pattern, per stretch factor.
with

distances as (
    select * from {{ ref('fct_dtw_distances') }}
),

ranked as (
    select
        *,
        -- ties broken by product code, so the ranks are stable from build to build
        row_number() over (
            partition by stretch_factor order by dtw_distance asc, product_code asc
        ) as closest_rank,
        row_number() over (
            partition by stretch_factor order by dtw_distance desc, product_code asc
        ) as farthest_rank
    from distances
),

closest as (
    select
        stretch_factor,
        'closest' as extreme,
        closest_rank as extreme_rank,
        product_code,
        window_weeks,
        dtw_distance,
        distance_zscore
    from ranked
    where closest_rank <= {{ var('dtw_extremes_top_n') }}
),

farthest as (
    select
        stretch_factor,
        'farthest' as extreme,
        farthest_rank as extreme_rank,
        product_code,
        window_weeks,
        dtw_distance,
        distance_zscore
    from ranked
    where farthest_rank <= {{ var('dtw_extremes_top_n') }}
),

final as (
    select * from closest
    union all
    select * from farthest
)

select * from final
