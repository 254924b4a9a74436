"""Chapter 3's speech clips: each clip's frame energies, and its DTW and Euclidean distances to clip 1.

Four rows, so the clips are collected to the driver; casebook.dtw.clips has the definitions.
"""

from casebook.dtw.clips import TABLE_COLUMNS, clip_distance_table
from casebook.dtw.settings import DtwSettings
from casebook.settings import load
from casebook.spark import ddl

# `dbt build --empty` does not run this model (it needs clip 1): its table gets this schema.
EMPTY_SCHEMA = ddl(TABLE_COLUMNS)


def model(dbt, session):
    dbt.config(materialized="table")
    settings = load(DtwSettings)
    clips = dbt.ref("stg_dtw__speech_clips").select("clip_id", "sentence_id", "delivery", "wav").toPandas()
    distances = clip_distance_table(
        clips,
        frame_ms=settings.clip_frame_ms,
        stretch_factor=settings.clip_stretch_factor,
        fastdtw_radius=settings.clip_fastdtw_radius,
    )
    return session.createDataFrame(distances, schema=ddl(TABLE_COLUMNS))
