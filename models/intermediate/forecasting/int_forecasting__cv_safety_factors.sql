-- One row per target service level: the safety-stock factors the out-of-sample sigma methods apply
-- to a cycle's selected forecast, pooled over every series' CV cycle windows
-- (int_forecasting__cv_cycle_errors).
-- cv_cycle_rmse: standardized_rmse = root mean square of the standardized cycle errors
--   ((actual - forecast) / sqrt(forecast)); safety stock = z x standardized_rmse x sqrt(cycle stock)
--   (normal errors assumed).
-- cv_cycle_quantile: the empirical quantile of the standardized cycle errors at the target level
--   (the smallest error whose empirical CDF reaches it); safety stock = max(quantile, 0) x
--   sqrt(cycle stock).
with

errors as (
    select * from {{ ref('int_forecasting__cv_cycle_errors') }}
),

service_levels as (
    select * from {{ ref('forecasting_service_levels') }}
),

pooled as (
    select
        count(*) as window_count,
        sqrt(avg(power(standardized_error, 2))) as standardized_rmse
    from errors
),

ranked as (
    select
        service_levels.service_level,
        errors.standardized_error,
        row_number() over (partition by service_levels.service_level order by errors.standardized_error)
            as error_rank
    from errors
    cross join service_levels
),

quantiles as (
    select
        ranked.service_level,
        ranked.standardized_error as standardized_error_quantile
    from ranked
    cross join pooled
    where ranked.error_rank = greatest(ceil(ranked.service_level * pooled.window_count), 1)
),

final as (
    select
        service_levels.service_level as target_service_level,
        service_levels.z_score,
        pooled.window_count,
        pooled.standardized_rmse,
        quantiles.standardized_error_quantile
    from service_levels
    cross join pooled
    inner join quantiles
        on service_levels.service_level = quantiles.service_level
    where pooled.window_count > 0
)

select * from final
