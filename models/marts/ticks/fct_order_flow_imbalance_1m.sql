-- Order-flow imbalance per symbol over 1m buckets.
{{ order_flow_imbalance_bars(ref('int_ticks__order_flow_events'), 60) }}
