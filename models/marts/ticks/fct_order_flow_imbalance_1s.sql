-- Order-flow imbalance per symbol over 1s buckets.
{{ order_flow_imbalance_bars(ref('int_ticks__order_flow_events'), 1) }}
