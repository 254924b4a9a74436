-- Every scored station has at most one winner, with the station's lowest RMSE; a station without a
-- winner is a tie (several models share the lowest RMSE), never a station with one best model.
with

scores as (
    select * from {{ ref('int_stations__model_scores') }}
),

per_station as (
    select
        station_id,
        count_if(is_winner) as winner_count,
        count_if(rmse_rank = 1) as best_count,
        min(rmse) as lowest_rmse,
        max(if(is_winner, rmse, null)) as winner_rmse
    from scores
    group by station_id
),

final as (
    select *
    from per_station
    where
        winner_count > 1
        or (winner_count = 1 and (winner_rmse != lowest_rmse or best_count != 1))
        or (winner_count = 0 and best_count < 2)
)

select * from final
