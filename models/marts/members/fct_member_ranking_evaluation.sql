-- Precision@N and recall@N at the held-out evaluation date: the model's ranking against ranking
-- every member's products by recent popularity. One row per ranking method.
{%- set top_n = var('members_top_n') %}
with

rankings as (
    select * from {{ ref('int_members__product_rankings') }}
),

events as (
    select * from {{ ref('stg_members__events') }}
),

evaluation_date as (
    select distinct as_of_date from rankings
    where sample_role = 'evaluation'
),

buyers as (
    -- members who bought anything in the held-out label window, with how many distinct products
    select
        member_id,
        count(*) as purchased_products
    from rankings
    where sample_role = 'evaluation' and is_purchased
    group by member_id
),

popular_products as (
    -- the baseline: most purchases in the window before the evaluation date (no peeking after it)
    select
        events.product_id,
        row_number() over (order by count(*) desc, events.product_id) as popularity_rank
    from events
    cross join evaluation_date
    where
        events.event_type = 'purchase'
        and to_date(events.event_ts) < evaluation_date.as_of_date
        and to_date(events.event_ts)
        >= date_sub(evaluation_date.as_of_date, {{ var('members_popularity_window_days') }})
    group by events.product_id
),

recommended as (
    select
        'model' as ranking_method,
        member_id,
        product_id,
        is_purchased
    from rankings
    where sample_role = 'evaluation' and product_rank <= {{ top_n }}
    union all
    select
        'popularity' as ranking_method,
        rankings.member_id,
        rankings.product_id,
        rankings.is_purchased
    from rankings
    inner join popular_products on rankings.product_id = popular_products.product_id
    where rankings.sample_role = 'evaluation' and popular_products.popularity_rank <= {{ top_n }}
),

hits_per_member as (
    select
        recommended.ranking_method,
        recommended.member_id,
        buyers.purchased_products,
        count_if(recommended.is_purchased) as hits
    from recommended
    inner join buyers on recommended.member_id = buyers.member_id
    group by
        recommended.ranking_method,
        recommended.member_id,
        buyers.purchased_products
),

final as (
    select
        hits_per_member.ranking_method,
        any_value(evaluation_date.as_of_date) as as_of_date,
        cast({{ top_n }} as int) as top_n,
        count(*) as evaluated_members,
        sum(hits_per_member.hits) as hit_count,
        avg(hits_per_member.hits / {{ top_n }}) as precision_at_n,
        avg(hits_per_member.hits / hits_per_member.purchased_products) as recall_at_n
    from hits_per_member
    cross join evaluation_date
    group by hits_per_member.ranking_method
)

select * from final
