-- The as-of join must never look ahead: a trade's quote is at or before the trade.
select
    symbol,
    event_ts,
    seq,
    quote_event_ts
from {{ ref('fct_trades') }}
where quote_event_ts > event_ts
