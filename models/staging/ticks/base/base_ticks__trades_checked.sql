-- Every raw trade with the reason it cannot be used (null when it can). The one place
-- where trade validity is decided: stg_ticks__trades keeps the good rows, the quarantine the rest.
with

trades as (
    select * from {{ ref('base_ticks__trades') }}
),

halts as (
    select * from {{ ref('stg_ticks__halts') }}
),

numbered as (
    select
        *,
        -- a feed may deliver the same print twice: the first copy counts, the others are quarantined
        row_number() over (
            partition by symbol, event_ts, seq, trade_pr, trade_qty
            order by loaded_at
        ) as copy_number,
        -- the latest time among the symbol-day's earlier events: a feed must not go back in time
        max(event_ts) over (
            partition by symbol, to_date({{ to_exchange_time('event_ts') }})
            order by seq
            rows between unbounded preceding and 1 preceding
        ) as latest_earlier_event_ts
    from trades
),

flagged as (
    select
        numbered.*,
        halts.halt_start_ts is not null as is_during_halt
    from numbered
    left join halts
        on
            numbered.symbol = halts.symbol
            and numbered.event_ts >= halts.halt_start_ts
            and numbered.event_ts < halts.halt_end_ts
),

final as (
    select
        symbol,
        event_ts,
        seq,
        cast(to_date({{ to_exchange_time('event_ts') }}) as date) as trade_date,
        loaded_at,
        trade_pr,
        trade_qty,
        case
            when symbol is null then 'missing_symbol'
            when event_ts is null then 'missing_event_ts'
            when trade_pr is null or trade_pr <= 0 then 'non_positive_price'
            when trade_qty is null or trade_qty <= 0 then 'non_positive_size'
            when copy_number > 1 then 'duplicate_event'
            when event_ts < latest_earlier_event_ts then 'out_of_order_event'
            when is_during_halt then 'during_trading_halt'
        end as quarantine_reason
    from flagged
)

select * from final
