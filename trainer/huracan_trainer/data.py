"""Reading a coin's feature data: {data}/{coin}/*.parquet or *.csv, sorted by file name (the
engine's partitions are {YYYYMMDD}.parquet), concatenated and sorted by time."""

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import schema


class DataError(Exception):
    pass


def coins_in(data_dir: str) -> list[str]:
    root = Path(data_dir)
    if not root.is_dir():
        raise DataError(f"{data_dir}: no such data directory")
    return sorted(p.name for p in root.iterdir() if p.is_dir() and any(_files(p)))


def _files(folder: Path):
    return sorted(f for f in folder.iterdir() if f.suffix in (".parquet", ".csv"))


def load_coin(data_dir: str, coin: str) -> dict:
    """Returns {"ts": int64[n], "mid": float64[n], "regime": str[n], "X": float64[n, features]}."""
    folder = Path(data_dir) / coin
    files = list(_files(folder)) if folder.is_dir() else []
    if not files:
        raise DataError(f"{folder}: no .parquet or .csv files")
    tables = []
    for f in files:
        table = pq.read_table(f) if f.suffix == ".parquet" else pacsv.read_csv(f)
        missing = [c for c in [schema.TIME, schema.MID, *schema.FEATURES] if c not in table.column_names]
        if missing:
            raise DataError(f"{f}: missing columns {missing} (feature schema v{schema.SCHEMA_VERSION})")
        tables.append(table)
    table = pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]
    ts = table[schema.TIME].to_numpy().astype(np.int64)
    order = np.argsort(ts, kind="stable")
    X = np.column_stack([table[name].to_numpy(zero_copy_only=False).astype(np.float64) for name in schema.FEATURES])
    regime = (np.asarray(table[schema.REGIME].to_pylist(), dtype=object) if schema.REGIME in table.column_names
              else np.full(len(ts), "all", dtype=object))
    return {"ts": ts[order], "mid": table[schema.MID].to_numpy().astype(np.float64)[order], "regime": regime[order], "X": X[order]}
