-- On the held-out evaluation date, the models' ranking has a higher precision@N than popularity.
with

evaluation as (
    select * from {{ ref('fct_member_ranking_evaluation') }}
),

compared as (
    select
        max(if(ranking_method = 'model', precision_at_n, null)) as model_precision_at_n,
        max(if(ranking_method = 'popularity', precision_at_n, null)) as popularity_precision_at_n
    from evaluation
),

final as (
    select *
    from compared
    where not coalesce(model_precision_at_n > popularity_precision_at_n, false)
)

select * from final
