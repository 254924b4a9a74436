-- DTW distance of each product to the capacity pattern per stretch factor, computed by a Python
-- model and published with a contract.
with

distances as (
    select * from {{ ref('int_dtw__distances') }}
),

final as (
    select
        product_code,
        stretch_factor,
        window_weeks,
        dtw_distance,
        distance_zscore,
        is_outlier
    from distances
)

select * from final
