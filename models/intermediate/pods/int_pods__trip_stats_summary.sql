-- The SQL twin of int_pods__trip_stats_summary_pandas: pandas' describe() over trips, one row per measure.
{%- set trip_metrics = [
    'trip_seconds', 'distance_miles', 'avg_speed_mph', 'avg_speed_kmh', 'max_speed_mph'
] %}
with

trips as (
    select * from {{ ref('int_pods__trip_stats') }}
),

final as (
    {%- for metric in trip_metrics %}
        select
            '{{ metric }}' as metric_name,
            count({{ metric }}) as trip_count,
            avg({{ metric }}) as mean_value,
            stddev_samp({{ metric }}) as std_value,
            min({{ metric }}) as min_value,
            -- describe() takes Spark's approximate quartiles at the default accuracy (10,000)
            percentile_approx({{ metric }}, 0.25, 10000) as p25_value,
            percentile_approx({{ metric }}, 0.5, 10000) as p50_value,
            percentile_approx({{ metric }}, 0.75, 10000) as p75_value,
            max({{ metric }}) as max_value
        from trips
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from final
