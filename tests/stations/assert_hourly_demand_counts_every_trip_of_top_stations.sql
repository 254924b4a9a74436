-- Zero-filling adds hours, never trips: a top station's hourly demand sums to its staged trips, and
-- every top station has the same number of hours.
with

top_stations as (
    select * from {{ ref('int_stations__top_stations') }}
),

hourly_demand as (
    select * from {{ ref('int_stations__hourly_demand') }}
),

demand_per_station as (
    select
        station_id,
        sum(actual_trips) as demand_trips,
        count(*) as hour_count
    from hourly_demand
    group by station_id
),

most_hours as (
    select max(hour_count) as hour_count
    from demand_per_station
),

final as (
    select
        top_stations.station_id,
        top_stations.trip_count,
        demand_per_station.demand_trips,
        demand_per_station.hour_count
    from top_stations
    cross join most_hours
    left join demand_per_station on top_stations.station_id = demand_per_station.station_id
    where
        demand_per_station.demand_trips is null
        or demand_per_station.demand_trips != top_stations.trip_count
        or demand_per_station.hour_count != most_hours.hour_count
)

select * from final
