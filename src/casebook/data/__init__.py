"""Raw data for every domain: deterministic synthetic generators and loaders of real public formats.

- one module per domain (`forecasting`, `fraud`, `inventory`, `members`, `pods`, `stations`, `ticks`)
  holds its generator `write_<domain>(raw, scale, seed)`, its named `SCALES` and the readers of the
  real formats that land in it (`lobster` and `ingest` for ticks);
- `registry` names the generator of each domain and the ingester of each real format (typed protocols);
- `landing` lands a domain atomically (write beside, validate, swap) with its `.landed` marker, for the
  CLI and the benchmarks alike;
- `lake` writes Parquet parts and checks numbers; `scales` looks a scale up by name.
"""
