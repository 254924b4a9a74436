-- Order-flow imbalance per symbol over 10s buckets.
{{ order_flow_imbalance_bars(ref('int_ticks__order_flow_events'), 10) }}
