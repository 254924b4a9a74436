-- The factory's weekly production capacity (the "optimal" sales pattern), typed.
with

source as (
    select * from {{ ref('dtw_capacity_pattern') }}
),

final as (
    select
        cast(week_nr as int) as week_nr,
        cast(month_nr as int) as month_nr,
        cast(week_of_month_nr as int) as week_of_month_nr,
        cast(is_summer_staff as boolean) as is_summer_staff,
        cast(is_filament_short as boolean) as is_filament_short,
        cast(capacity_units as double) as capacity_units
    from source
)

select * from final
