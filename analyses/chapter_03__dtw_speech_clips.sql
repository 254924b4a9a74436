-- Chapter 3 (DTW) opens with four speech clips: each clip's distance to clip 1 by exact DTW, fastdtw
-- and Euclidean matching; the book ranks clip 4 closest, clip 3 next, clip 2 farthest.
-- `casebook sql --file analyses/chapter_03__dtw_speech_clips.sql`
with

clip_distances as (
    select * from {{ ref('fct_dtw_clip_distances') }}
),

final as (
    select
        clip_id,
        sentence_id,
        delivery,
        spoken_seconds,
        exact_dtw_distance,
        fastdtw_distance,
        euclidean_distance,
        exact_dtw_rank,
        euclidean_rank
    from clip_distances
)

select * from final
order by clip_id
