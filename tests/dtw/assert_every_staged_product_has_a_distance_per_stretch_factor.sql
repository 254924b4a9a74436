-- Every staged product gets a distance for each of the seven stretch factors, and nothing else does.
with

staged_products as (
    select distinct product_code
    from {{ ref('stg_dtw__weekly_sales') }}
),

distance_counts as (
    select
        product_code,
        count(*) as stretch_factor_count
    from {{ ref('fct_dtw_distances') }}
    group by product_code
),

final as (
    select
        coalesce(staged_products.product_code, distance_counts.product_code) as product_code,
        distance_counts.stretch_factor_count
    from staged_products
    full outer join distance_counts on staged_products.product_code = distance_counts.product_code
    where
        staged_products.product_code is null
        or coalesce(distance_counts.stretch_factor_count, 0) != 7
)

select * from final
