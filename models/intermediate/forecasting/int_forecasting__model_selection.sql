-- The selection, from cross-validation only: one row per (series, candidate) with the candidate's CV
-- errors over all cutoffs, its rank among the series' candidates, and whether it is the series'
-- selected forecast. Var forecasting_selection_scope: `global` selects the one candidate with the
-- lowest mean CV sMAPE over all series for every series; `series` selects per series the candidate
-- with the lowest CV sMAPE (ties: lower CV RMSE, then the name). Nothing after the training date is read.
{%- set scope = var('forecasting_selection_scope') %}
{%- if scope not in ['global', 'series'] %}
    {{ exceptions.raise_compiler_error("forecasting_selection_scope must be global or series, got " ~ scope) }}
{%- endif %}
with

bakeoff_cv as (
    select * from {{ ref('int_forecasting__bakeoff_cv') }}
),

series_scores as (
    select
        training_date,
        store_id,
        item_id,
        model_name,
        count(*) as cv_days,
        count(distinct cutoff_date) as cutoff_count,
        {{ forecast_error_metrics('sales_qty', 'yhat') }}
    from bakeoff_cv
    group by training_date, store_id, item_id, model_name
),

model_means as (
    select
        model_name,
        avg(smape) as mean_cv_smape,
        avg(rmse) as mean_cv_rmse
    from series_scores
    group by model_name
),

global_winner as (
    select model_name
    from model_means
    order by mean_cv_smape, mean_cv_rmse, model_name
    limit 1
),

ranked as (
    select
        series_scores.*,
        row_number() over (
            partition by series_scores.store_id, series_scores.item_id
            order by series_scores.smape, series_scores.rmse, series_scores.model_name
        ) as series_cv_rank,
        series_scores.model_name = global_winner.model_name as is_global_winner
    from series_scores
    cross join global_winner
),

final as (
    select
        -- keys
        training_date,
        store_id,
        item_id,
        model_name,
        -- evidence
        cutoff_count,
        cv_days,
        -- CV errors
        mae as cv_mae,
        rmse as cv_rmse,
        mape as cv_mape,
        smape as cv_smape,
        -- selection
        series_cv_rank,
        is_global_winner,
        {% if scope == 'global' -%}
            is_global_winner
        {%- else -%}
            series_cv_rank = 1
        {%- endif %} as is_selected
    from ranked
)

select * from final
