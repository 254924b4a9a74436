with

source as (
    select * from {{ source('ticks', 'halts') }}
),

final as (
    select
        nullif(trim(symbol), '') as symbol,
        cast(halt_start_ts as timestamp) as halt_start_ts,
        cast(halt_end_ts as timestamp) as halt_end_ts,
        halt_reason
    from source
)

select * from final
