-- Chapter 3's speech clips as landed: one row per clip with its WAV bytes, typed.
with

source as (
    select * from {{ source('dtw', 'speech_clips') }}
),

final as (
    select
        cast(clip_id as int) as clip_id,
        cast(sentence_id as int) as sentence_id,
        delivery,
        espeak_voice,
        cast(espeak_speed_wpm as int) as espeak_speed_wpm,
        cast(espeak_pitch as int) as espeak_pitch,
        ssml,
        wav
    from source
)

select * from final
