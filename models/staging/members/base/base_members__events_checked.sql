-- Every raw event, typed, with the reason it cannot be used (null when it can). The one place where
-- event validity is decided: stg_members__events keeps the good rows, the quarantine the rest.
--
-- A Delta table, not a view: the staged rows, the quarantine and their tests all read the result;
-- one build checks the raw files once instead of once per reader.
{{ config(materialized='table') }}
{%- set event_types_sql = "'" ~ var('members_event_types') | join("', '") ~ "'" %}
with

source as (
    select * from {{ source('members', 'events') }}
),

products as (
    select * from {{ ref('stg_members__products') }}
),

typed as (
    select
        nullif(trim(event_id), '') as event_id,
        nullif(trim(session_id), '') as session_id,
        nullif(trim(member_id), '') as member_id,
        cast(event_ts as timestamp) as event_ts,
        lower(trim(event_type)) as event_type,
        nullif(trim(product_id), '') as product_id,
        lower(trim(category)) as category,
        lower(trim(channel)) as channel,
        cast(quantity as bigint) as quantity,
        cast(revenue as double) as revenue_usd
    from source
),

row_checked as (
    select
        typed.*,
        case
            when typed.event_id is null or typed.member_id is null or typed.event_ts is null
                then 'missing_key'
            when
                typed.event_type is null
                or typed.event_type not in ({{ event_types_sql }})
                then 'unknown_event_type'
            when products.product_id is null then 'unknown_product'
            when typed.category is distinct from products.category then 'category_mismatch'
            when
                typed.event_type = 'purchase'
                and (
                    coalesce(typed.quantity, 0) <= 0
                    or coalesce(typed.revenue_usd, -1) < 0
                )
                then 'invalid_purchase_amount'
        end as row_reason
    from typed
    left join products on typed.product_id = products.product_id
),

numbered as (
    select
        *,
        -- a re-delivered event repeats its id: the first usable copy counts, the others are quarantined
        row_number() over (
            partition by event_id, row_reason is null
            order by event_ts, member_id
        ) as copy_number
    from row_checked
),

final as (
    select
        event_id,
        session_id,
        member_id,
        event_ts,
        event_type,
        product_id,
        category,
        channel,
        quantity,
        revenue_usd,
        coalesce(row_reason, if(copy_number > 1, 'duplicate_event', null)) as quarantine_reason
    from numbered
)

select * from final
