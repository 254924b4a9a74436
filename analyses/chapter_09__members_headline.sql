-- Chapter 9 (member rankings): precision and recall at N of the per-product models against the
-- popularity baseline on the held-out window.
with

ranking_evaluation as (
    select * from {{ ref('fct_member_ranking_evaluation') }}
),

final as (
    select
        ranking_method,
        as_of_date,
        top_n,
        evaluated_members,
        hit_count,
        precision_at_n,
        recall_at_n
    from ranking_evaluation
)

select * from final
order by precision_at_n desc
