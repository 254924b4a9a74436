{#- The casebook adapter is dbt-spark plus the in-process `session` runner for Python models.
    Macros dispatch casebook__ -> spark__ -> default__, so only what differs lives here. -#}
