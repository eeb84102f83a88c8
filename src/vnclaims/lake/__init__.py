"""The DuckLake warehouse: connection (connect), writer lock (lock), snapshots and history (history),
maintenance (maintain).

Layout under the warehouse directory:
  vnclaims.ducklake      DuckDB-file catalog (one writer process at a time)
  data/                  Parquet data files of every snapshot
  raw/ab/<sha256>        content-addressed copy of every input file version (byte-exact)
  quarantine/<sha256>    bytes of rejected inputs
  reports/               the HTML report and GX Data Docs
  .vnclaims.lock         writer lock (flock), holds the pid/run of the writer
"""
