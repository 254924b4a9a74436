-- Nothing is dropped silently: every raw row is either staged or quarantined, exactly once.
with

raw_counts as (
    select
        'materials' as source_table,
        count(*) as raw_rows
    from {{ source('inventory', 'materials') }}
    union all
    select
        'issues' as source_table,
        count(*) as raw_rows
    from {{ source('inventory', 'issues') }}
    union all
    select
        'stock' as source_table,
        count(*) as raw_rows
    from {{ source('inventory', 'stock') }}
),

staged_counts as (
    select
        'materials' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_inventory__materials') }}
    union all
    select
        'issues' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_inventory__issues') }}
    union all
    select
        'stock' as source_table,
        count(*) as staged_rows
    from {{ ref('stg_inventory__stock') }}
),

quarantined_counts as (
    select
        source_table,
        count(*) as quarantined_rows
    from {{ ref('stg_inventory__quarantined_records') }}
    group by source_table
),

final as (
    select
        raw_counts.source_table,
        raw_counts.raw_rows,
        staged_counts.staged_rows,
        coalesce(quarantined_counts.quarantined_rows, 0) as quarantined_rows
    from raw_counts
    inner join staged_counts on raw_counts.source_table = staged_counts.source_table
    left join quarantined_counts on raw_counts.source_table = quarantined_counts.source_table
    where raw_counts.raw_rows
        != staged_counts.staged_rows + coalesce(quarantined_counts.quarantined_rows, 0)
)

select * from final
