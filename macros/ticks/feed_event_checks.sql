{#- The checks every tick feed's events share, as columns next to the event's own:
    - copy_number: 1 for the first delivery of an identical event (by landing time), 2+ for repeats;
    - latest_earlier_event_ts: the latest time among the symbol-day's earlier events (by seq): an
      event stamped before it went back in time;
    - is_during_halt: the event lies inside one of the symbol's trading halts.
    `events` has symbol, event_ts, seq and loaded_at; `value_columns` complete an event's identity. -#}
{% macro feed_event_checks(events, halts, value_columns) %}
    select
        events.*,
        row_number() over (
            partition by
                events.symbol, events.event_ts, events.seq
                {%- for column in value_columns %}, events.{{ column }}{% endfor %}
            order by events.loaded_at
        ) as copy_number,
        max(events.event_ts) over (
            partition by events.symbol, to_date({{ to_exchange_time('events.event_ts') }})
            order by events.seq
            rows between unbounded preceding and 1 preceding
        ) as latest_earlier_event_ts,
        halts.halt_start_ts is not null as is_during_halt
    from {{ events }} as events
    left join {{ halts }} as halts
        on
            events.symbol = halts.symbol
            and events.event_ts >= halts.halt_start_ts
            and events.event_ts < halts.halt_end_ts
{% endmacro %}
