-- Every station in the bake-off has exactly one winner, and it is a model with the station's lowest RMSE.
with

scores as (
    select * from {{ ref('int_stations__model_scores') }}
),

per_station as (
    select
        station_id,
        count_if(rmse_rank = 1) as winner_count,
        min(rmse) as lowest_rmse,
        max_by(rmse, -rmse_rank) as winner_rmse
    from scores
    group by station_id
),

final as (
    select *
    from per_station
    where winner_count != 1 or winner_rmse != lowest_rmse
)

select * from final
