-- Orders go out on the order weekday, arrive lead-time days later and cover the cycle-days days
-- after the delivery; cycles never overlap and never start before the training date's forecast.
with

cycles as (
    select * from {{ ref('int_forecasting__order_cycles') }}
),

final as (
    select *
    from cycles
    where
        date_format(order_date, 'EEEE') != '{{ var("forecasting_order_weekday") }}'
        or datediff(delivery_date, order_date) != {{ var('forecasting_lead_time_days') | int }}
        or datediff(cycle_start_date, delivery_date) != 1
        or datediff(cycle_end_date, cycle_start_date) + 1 != {{ var('forecasting_cycle_days') | int }}
        or cycle_days != {{ var('forecasting_cycle_days') | int }}
        or order_date < training_date
)

select * from final
