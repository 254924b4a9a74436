-- A wider Sakoe-Chiba band admits every warping path of a narrower one, so a product's DTW distance can
-- only fall (or stay) as the stretch factor grows. A rise means the band or the distance is wrong.
with

distances as (
    select * from {{ ref('fct_dtw_distances') }}
),

with_previous as (
    select
        product_code,
        stretch_factor,
        dtw_distance,
        lag(dtw_distance) over (partition by product_code order by stretch_factor) as narrower_dtw_distance
    from distances
),

final as (
    select *
    from with_previous
    -- tolerance for floating-point rounding in the C library's sums
    where dtw_distance > narrower_dtw_distance + 1e-9
)

select * from final
