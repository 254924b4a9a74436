-- The pandas-API-on-Spark trip statistics equal the SQL twin's: same trips, same numbers (to a
-- relative var('pods_twin_tolerance'); the two sum the same steps in a different order).
{%- set measures = [
    'trip_seconds', 'distance_miles', 'avg_speed_mph', 'avg_speed_kmh', 'max_speed_mph'
] %}
with

pandas_trips as (
    select * from {{ ref('int_pods__trip_stats_pandas') }}
),

sql_trips as (
    select * from {{ ref('int_pods__trip_stats') }}
),

compared as (
    select
        coalesce(pandas_trips.pod_id, sql_trips.pod_id) as pod_id,
        coalesce(pandas_trips.trip_id, sql_trips.trip_id) as trip_id,
        pandas_trips.trip_id is null or sql_trips.trip_id is null as is_unmatched,
        {%- for measure in measures %}
            abs(pandas_trips.{{ measure }} - sql_trips.{{ measure }})
            / greatest(abs(sql_trips.{{ measure }}), 1.0) as {{ measure }}_difference,
            (pandas_trips.{{ measure }} is null) != (sql_trips.{{ measure }} is null)
                as is_{{ measure }}_null_mismatch,
        {%- endfor %}
        pandas_trips.trip_start_ts <=> sql_trips.trip_start_ts as is_same_start,
        pandas_trips.trip_end_ts <=> sql_trips.trip_end_ts as is_same_end,
        pandas_trips.reading_count <=> sql_trips.reading_count as is_same_reading_count
    from pandas_trips
    full outer join sql_trips
        on
            pandas_trips.pod_id = sql_trips.pod_id
            and pandas_trips.trip_id = sql_trips.trip_id
),

final as (
    select *
    from compared
    where
        is_unmatched
        or not is_same_start
        or not is_same_end
        or not is_same_reading_count
        {%- for measure in measures %}
            or is_{{ measure }}_null_mismatch
            or {{ measure }}_difference > {{ var('pods_twin_tolerance') }}
        {%- endfor %}
)

select * from final
