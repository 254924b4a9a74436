-- VWAP bars of 1 hour per symbol over regular-session trades.
{{ vwap_bars(ref('int_ticks__market_hours_trades'), '1 hour') }}
