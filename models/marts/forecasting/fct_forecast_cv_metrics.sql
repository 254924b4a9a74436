-- Rolling-origin cross-validation accuracy by forecast horizon: for each series, model and horizon
-- (days after the cutoff), the errors over the cutoffs. Same metric definitions as fct_forecast_evaluation.
with

cross_validation as (
    select * from {{ ref('int_forecasting__bakeoff_cv') }}
),

final as (
    select
        -- keys
        training_date,
        store_id,
        item_id,
        model_name,
        horizon_days,
        -- how much evidence
        count(*) as cutoff_count,
        min(cutoff_date) as first_cutoff_date,
        max(cutoff_date) as last_cutoff_date,
        -- errors
        {{ forecast_error_metrics('sales_qty', 'yhat') }}
    from cross_validation
    group by training_date, store_id, item_id, model_name, horizon_days
)

select * from final
