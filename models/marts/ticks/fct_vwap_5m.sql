-- VWAP bars of 5 minutes per symbol over regular-session trades.
{{ vwap_bars(ref('int_ticks__market_hours_trades'), '5 minutes') }}
