-- The median DTW distance of the MLflow runs falls (or stays) as the stretch factor grows, since every
-- product's distance does.
with

runs as (
    select * from {{ ref('fct_dtw_stretch_runs') }}
),

with_previous as (
    select
        stretch_factor,
        median_dtw_distance,
        lag(median_dtw_distance) over (order by stretch_factor) as narrower_median_dtw_distance
    from runs
),

final as (
    select *
    from with_previous
    where median_dtw_distance > narrower_median_dtw_distance + 1e-9
)

select * from final
