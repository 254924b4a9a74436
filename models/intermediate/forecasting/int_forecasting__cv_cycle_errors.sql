-- Out-of-sample errors of the selected forecast over a replenishment cycle, from cross-validation:
-- for every series and CV cutoff, the window an order placed at the cutoff must cover (horizons
-- forecasting_lead_time_days + 1 .. + forecasting_cycle_days), its forecast and actual sums and the
-- standardized error (actual - forecast) / sqrt(forecast): demand whose variance grows with its mean
-- (Poisson-like, as the Kaggle sales are) has errors of one spread on that scale, whatever the series'
-- volume or season. A cycle's daily errors are summed, not assumed independent. Every row lies
-- before the training date.
{%- set lead_time = var('forecasting_lead_time_days') | int %}
{%- set cycle_days = var('forecasting_cycle_days') | int %}
with

bakeoff_cv as (
    select * from {{ ref('int_forecasting__bakeoff_cv') }}
),

selection as (
    select * from {{ ref('int_forecasting__model_selection') }}
    where is_selected
),

windows as (
    select
        bakeoff_cv.training_date,
        bakeoff_cv.store_id,
        bakeoff_cv.item_id,
        bakeoff_cv.model_name,
        bakeoff_cv.cutoff_date,
        count(*) as cycle_days,
        sum(bakeoff_cv.yhat) as forecast_qty,
        sum(bakeoff_cv.sales_qty) as actual_qty
    from bakeoff_cv
    inner join selection
        on
            bakeoff_cv.store_id = selection.store_id
            and bakeoff_cv.item_id = selection.item_id
            and bakeoff_cv.model_name = selection.model_name
    where bakeoff_cv.horizon_days between {{ lead_time + 1 }} and {{ lead_time + cycle_days }}
    group by
        bakeoff_cv.training_date,
        bakeoff_cv.store_id,
        bakeoff_cv.item_id,
        bakeoff_cv.model_name,
        bakeoff_cv.cutoff_date
    having count(*) = {{ cycle_days }}
),

final as (
    select
        -- keys
        training_date,
        store_id,
        item_id,
        cutoff_date,
        -- the forecast
        model_name,
        cycle_days,
        forecast_qty,
        actual_qty,
        -- error
        actual_qty - forecast_qty as error_qty,
        (actual_qty - forecast_qty) / sqrt(forecast_qty) as standardized_error
    from windows
    where forecast_qty > 0
)

select * from final
