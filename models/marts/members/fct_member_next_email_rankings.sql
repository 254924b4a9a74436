-- The top-N products per member for the next email, from the per-product purchase models.
with

rankings as (
    select * from {{ ref('int_members__product_rankings') }}
),

products as (
    select * from {{ ref('stg_members__products') }}
),

final as (
    select
        -- keys
        rankings.member_id,
        rankings.as_of_date,
        cast(rankings.product_rank as int) as product_rank,
        -- what to show
        rankings.product_id,
        products.product_name,
        products.category,
        -- why
        rankings.purchase_probability
    from rankings
    inner join products on rankings.product_id = products.product_id
    where
        rankings.sample_role = 'score'
        and rankings.product_rank <= {{ var('members_top_n') }}
)

select * from final
