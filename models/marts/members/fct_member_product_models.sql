-- One row per product: its purchase model, the feature selection and how well it predicts.
with

scores as (
    select * from {{ ref('int_members__product_scores') }}
),

products as (
    select * from {{ ref('stg_members__products') }}
),

held_out as (
    -- the held-out evaluation date: how often the product was bought, and how likely the model found it
    select
        product_id,
        count(*) as evaluation_members,
        count_if(is_purchased) as evaluation_buyers,
        avg(purchase_probability) as evaluation_mean_probability
    from scores
    where sample_role = 'evaluation'
    group by product_id
),

models as (
    select
        product_id,
        any_value(model_kind) as model_kind,
        any_value(training_samples) as training_samples,
        any_value(training_positives) as training_positives,
        any_value(feature_count) as feature_count,
        any_value(selected_feature_count) as selected_feature_count,
        any_value(selected_features) as selected_features,
        any_value(is_reduced_model) as is_reduced_model,
        any_value(validation_log_loss_full) as validation_log_loss_full,
        any_value(validation_log_loss_selected) as validation_log_loss_selected,
        any_value(validation_auc_full) as validation_auc_full,
        any_value(validation_auc_selected) as validation_auc_selected
    from scores
    group by product_id
),

final as (
    select
        -- keys
        models.product_id,
        products.category,
        -- the model
        models.model_kind,
        cast({{ var('members_regularization_c') }} as double) as regularization_c,
        cast(models.training_samples as bigint) as training_samples,
        cast(models.training_positives as bigint) as training_positives,
        cast(models.feature_count as int) as feature_count,
        cast(models.selected_feature_count as int) as selected_feature_count,
        models.selected_features,
        models.is_reduced_model,
        -- validation members (the feature selection)
        models.validation_log_loss_full,
        models.validation_log_loss_selected,
        models.validation_auc_full,
        models.validation_auc_selected,
        -- the held-out evaluation date
        cast(held_out.evaluation_members as bigint) as evaluation_members,
        cast(held_out.evaluation_buyers as bigint) as evaluation_buyers,
        held_out.evaluation_mean_probability
    from models
    inner join products on models.product_id = products.product_id
    left join held_out on models.product_id = held_out.product_id
)

select * from final
