-- pandas' describe() on Spark equals the SQL twin's aggregates, statistic by statistic.
{%- set statistics = [
    'mean_value', 'std_value', 'min_value', 'p25_value', 'p50_value', 'p75_value', 'max_value'
] %}
with

pandas_summary as (
    select * from {{ ref('int_pods__trip_stats_summary_pandas') }}
),

sql_summary as (
    select * from {{ ref('int_pods__trip_stats_summary') }}
),

compared as (
    select
        coalesce(pandas_summary.metric_name, sql_summary.metric_name) as metric_name,
        pandas_summary.metric_name is null or sql_summary.metric_name is null as is_unmatched,
        {%- for statistic in statistics %}
            abs(pandas_summary.{{ statistic }} - sql_summary.{{ statistic }})
            / greatest(abs(sql_summary.{{ statistic }}), 1.0) as {{ statistic }}_difference,
            (pandas_summary.{{ statistic }} is null) != (sql_summary.{{ statistic }} is null)
                as is_{{ statistic }}_null_mismatch,
        {%- endfor %}
        pandas_summary.trip_count <=> sql_summary.trip_count as is_same_trip_count
    from pandas_summary
    full outer join sql_summary on pandas_summary.metric_name = sql_summary.metric_name
),

final as (
    select *
    from compared
    where
        is_unmatched
        or not is_same_trip_count
        {%- for statistic in statistics %}
            or is_{{ statistic }}_null_mismatch
            or {{ statistic }}_difference > {{ var('pods_twin_tolerance') }}
        {%- endfor %}
)

select * from final
