-- The bake-off per series: one row per (training date, store, item, candidate) with the candidate's
-- rolling-origin CV errors (before the training date: what the selection reads) and its held-out
-- errors over the horizon (after it: only reported), its ranks, and whether the CV selection chose
-- it. The row model_name = 'selected' is the chosen forecast itself (CV errors of the candidate it is).
with

forecast_vs_actual as (
    select * from {{ ref('int_forecasting__forecast_vs_actual') }}
),

selection as (
    select * from {{ ref('int_forecasting__model_selection') }}
),

holdout as (
    select
        training_date,
        store_id,
        item_id,
        model_name,
        count(*) as evaluation_days,
        {{ forecast_error_metrics('sales_qty', 'yhat') }}
    from forecast_vs_actual
    where is_forecast and sales_qty is not null
    group by training_date, store_id, item_id, model_name
),

chosen as (
    select
        store_id,
        item_id,
        model_name as selected_model_name
    from selection
    where is_selected
),

cv as (
    select
        selection.*,
        selection.model_name as cv_model_name
    from selection
    union all
    select
        selection.training_date,
        selection.store_id,
        selection.item_id,
        'selected' as model_name,
        selection.cutoff_count,
        selection.cv_days,
        selection.cv_mae,
        selection.cv_rmse,
        selection.cv_mape,
        selection.cv_smape,
        selection.series_cv_rank,
        selection.is_global_winner,
        selection.is_selected,
        selection.model_name as cv_model_name
    from selection
    where selection.is_selected
),

holdout_ranked as (
    select
        *,
        case
            when model_name != 'selected'
                then
                    row_number() over (
                        partition by store_id, item_id, model_name = 'selected'
                        order by smape, rmse, model_name
                    )
        end as holdout_rank
    from holdout
),

final as (
    select
        -- keys
        holdout_ranked.training_date,
        holdout_ranked.store_id,
        holdout_ranked.item_id,
        holdout_ranked.model_name,
        -- cross-validation (before the training date)
        cv.cutoff_count,
        cv.cv_days,
        cv.cv_mae,
        cv.cv_rmse,
        cv.cv_mape,
        cv.cv_smape,
        case when holdout_ranked.model_name != 'selected' then cv.series_cv_rank end as series_cv_rank,
        -- held out (after the training date)
        holdout_ranked.evaluation_days,
        holdout_ranked.mae as holdout_mae,
        holdout_ranked.rmse as holdout_rmse,
        holdout_ranked.mape as holdout_mape,
        holdout_ranked.smape as holdout_smape,
        holdout_ranked.holdout_rank,
        -- selection
        coalesce(chosen.selected_model_name, 'prophet') as selected_model_name,
        holdout_ranked.model_name = coalesce(chosen.selected_model_name, 'prophet') as is_selected,
        holdout_ranked.holdout_rank = 1 as is_holdout_winner
    from holdout_ranked
    left join cv
        on
            holdout_ranked.store_id = cv.store_id
            and holdout_ranked.item_id = cv.item_id
            and holdout_ranked.model_name = cv.model_name
    left join chosen
        on
            holdout_ranked.store_id = chosen.store_id
            and holdout_ranked.item_id = chosen.item_id
)

select * from final
