-- Chapter 3 (DTW): per stretch factor, the median distance of the products to the capacity pattern,
-- the outliers and the candidates to make next year.
with

stretch_runs as (
    select * from {{ ref('fct_dtw_stretch_runs') }}
),

candidates as (
    select * from {{ ref('fct_dtw_candidates') }}
),

candidates_per_stretch as (
    select
        stretch_factor,
        count(*) as candidate_count
    from candidates
    group by stretch_factor
),

final as (
    select
        stretch_runs.stretch_factor,
        stretch_runs.window_weeks,
        stretch_runs.product_count,
        stretch_runs.median_dtw_distance,
        stretch_runs.outlier_count,
        coalesce(candidates_per_stretch.candidate_count, 0) as candidate_count
    from stretch_runs
    left join candidates_per_stretch
        on stretch_runs.stretch_factor = candidates_per_stretch.stretch_factor
)

select * from final
order by stretch_factor
