-- Chapter 4 (safety stock): achieved against target service level per sigma method, pooled over
-- every series' hold-out cycles, with the mean safety stock each method holds.
with

summary as (
    select * from {{ ref('fct_safety_stock_summary') }}
),

final as (
    select
        sigma_method,
        target_service_level,
        series_count,
        cycle_count,
        pooled_achieved_service_level,
        pooled_service_level_gap,
        below_target_share,
        mean_safety_stock_qty
    from summary
)

select * from final
order by target_service_level, sigma_method
