-- Rolling-origin cross-validation accuracy by forecast horizon: for each series, model and horizon
-- (days after the cutoff), the errors over the cutoffs. Same metric definitions as fct_forecast_evaluation.
with

cross_validation as (
    select * from {{ ref('int_forecasting__cross_validation') }}
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
        avg(abs(sales_qty - yhat)) as mae,
        sqrt(avg(power(sales_qty - yhat, 2))) as rmse,
        100 * avg(case when sales_qty != 0 then abs(sales_qty - yhat) / abs(sales_qty) end) as mape,
        100 * avg(
            case
                when abs(sales_qty) + abs(yhat) = 0 then 0
                else 2 * abs(sales_qty - yhat) / (abs(sales_qty) + abs(yhat))
            end
        ) as smape
    from cross_validation
    group by training_date, store_id, item_id, model_name, horizon_days
)

select * from final
