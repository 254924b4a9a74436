-- Every product ranked for each member at the evaluation and score as-of dates, most likely purchase first.
with

scores as (
    select * from {{ ref('int_members__product_scores') }}
),

final as (
    select
        member_id,
        as_of_date,
        sample_role,
        product_id,
        purchase_probability,
        is_purchased,
        row_number() over (
            partition by member_id, as_of_date, sample_role
            order by purchase_probability desc, product_id asc
        ) as product_rank
    from scores
)

select * from final
