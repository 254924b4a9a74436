-- Chapter 10 (inventory): per location, how many materials are under-stocked, over-stocked or within
-- policy, and the value of the excess stock.
with

stock_positions as (
    select * from {{ ref('fct_inventory_stock_positions') }}
),

final as (
    select
        location_id,
        count(*) as material_count,
        sum(case when is_under_stocked then 1 else 0 end) as under_stocked_count,
        sum(case when is_over_stocked then 1 else 0 end) as over_stocked_count,
        sum(excess_value_usd) as excess_value_usd,
        sum(on_hand_value_usd) as on_hand_value_usd
    from stock_positions
    group by location_id
)

select * from final
order by excess_value_usd desc
