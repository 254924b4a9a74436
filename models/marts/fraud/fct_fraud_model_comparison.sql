-- The imbalanced and the balanced tree side by side: grid choice, areas under PR and ROC, test confusion.
with

runs as (
    select * from {{ ref('int_fraud__model_runs') }}
),

final as (
    select
        -- which model
        model_variant,
        is_balanced,
        registered_model_name,
        model_version,
        mlflow_experiment_id,
        mlflow_run_id,
        model_uri,
        -- training and cross-validation
        training_rows,
        training_positive_rows,
        training_positive_rows / training_rows as training_positive_share,
        cv_metric_name,
        cv_best_metric,
        best_max_depth,
        best_max_bins,
        training_seconds,
        -- evaluation against the rule labels
        train_area_under_pr,
        train_area_under_roc,
        test_area_under_pr,
        test_area_under_roc,
        test_true_positives,
        test_false_positives,
        test_false_negatives,
        test_true_negatives,
        test_true_positives / nullif(test_true_positives + test_false_negatives, 0) as test_recall,
        test_true_positives / nullif(test_true_positives + test_false_positives, 0) as test_precision,
        tree_rules
    from runs
)

select * from final
