-- Zero-filling adds hours, never trips: a top station's hourly demand sums to its staged trips, and
-- covers every hour from its own first trip hour to the last trip hour of the data, no more.
with

top_stations as (
    select * from {{ ref('int_stations__top_stations') }}
),

trips as (
    select * from {{ ref('stg_stations__trips') }}
),

hourly_demand as (
    select * from {{ ref('int_stations__hourly_demand') }}
),

demand_per_station as (
    select
        station_id,
        sum(actual_trips) as demand_trips,
        count(*) as hour_count,
        min(hour_ts) as first_hour_ts,
        max(hour_ts) as last_hour_ts
    from hourly_demand
    group by station_id
),

data_end as (
    select date_trunc('HOUR', max(start_local_ts)) as last_hour_ts
    from trips
),

final as (
    select
        top_stations.station_id,
        top_stations.trip_count,
        demand_per_station.demand_trips,
        demand_per_station.hour_count
    from top_stations
    cross join data_end
    left join demand_per_station on top_stations.station_id = demand_per_station.station_id
    where
        demand_per_station.demand_trips is null
        or demand_per_station.demand_trips != top_stations.trip_count
        or demand_per_station.first_hour_ts != date_trunc('HOUR', top_stations.first_trip_local_ts)
        or demand_per_station.last_hour_ts != data_end.last_hour_ts
        or demand_per_station.hour_count
        != (unix_seconds(demand_per_station.last_hour_ts) - unix_seconds(demand_per_station.first_hour_ts))
        / 3600 + 1
)

select * from final
