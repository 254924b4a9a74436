-- Chapter 3's speech clips: each clip's DTW (exact and fastdtw) and Euclidean distance to clip 1,
-- computed by a Python model and published with a contract.
with

distances as (
    select * from {{ ref('int_dtw__clip_distances') }}
),

final as (
    select
        clip_id,
        sentence_id,
        delivery,
        sample_rate_hz,
        frame_ms,
        frame_count,
        spoken_seconds,
        stretch_factor,
        band_radius_frames,
        fastdtw_radius,
        exact_dtw_distance,
        fastdtw_distance,
        euclidean_distance,
        rank() over (order by exact_dtw_distance) - 1 as exact_dtw_rank,
        rank() over (order by euclidean_distance) - 1 as euclidean_rank
    from distances
)

select * from final
