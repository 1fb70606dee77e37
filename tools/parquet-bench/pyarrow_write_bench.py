#!/usr/bin/env python3
"""Writes the same rows as Huracan's Parquet writer with pyarrow, for a side-by-side write rate.

Reads a partition written by `huracan data bench-write` (so both writers get identical rows and
schema), then times pyarrow.parquet.write_table on it the same way Huracan writes a partition:
to a temporary file beside the target, fsync, rename, fsync of the folder. Prints one line per
codec with rows/s and file size. Usage:

    python3 pyarrow_write_bench.py FILE.parquet [--codecs snappy,zstd] [--repeat 3] [--no-fsync]
"""
import argparse
import os
import tempfile
import time

import pyarrow
import pyarrow.parquet as pq


def write_atomically(table, path, codec, fsync):
    folder = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".tmp-", dir=folder)
    os.close(fd)
    # Huracan's lake settings: row groups of 32,768 rows, dictionary for strings only, statistics on,
    # ZSTD at level 1.
    pq.write_table(table, tmp, compression=codec, compression_level=1 if codec == "zstd" else None, row_group_size=32_768, use_dictionary=[
        f.name for f in table.schema if pyarrow.types.is_string(f.type)], write_statistics=True)
    if fsync:
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
    os.replace(tmp, path)
    if fsync:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="a partition written by huracan data bench-write")
    parser.add_argument("--codecs", default="snappy,zstd")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs per codec")
    parser.add_argument("--no-fsync", action="store_true", help="skip fsync (pyarrow's plain write_table)")
    args = parser.parse_args()
    table = pq.read_table(args.file)
    out_dir = tempfile.mkdtemp(prefix="pyarrow-bench-")
    print(f"pyarrow {pyarrow.__version__}: {table.num_rows} rows, {table.num_columns} columns from {args.file}")
    for codec in args.codecs.split(","):
        target = os.path.join(out_dir, f"{codec}.parquet")
        best = None
        for _ in range(args.repeat):
            start = time.perf_counter()
            write_atomically(table, target, codec, not args.no_fsync)
            elapsed = time.perf_counter() - start
            best = elapsed if best is None else min(best, elapsed)
        size = os.path.getsize(target)
        print(f"pyarrow wrote {table.num_rows} rows ({codec}{'' if not args.no_fsync else ', no fsync'}) in {best:.3f}s: "
              f"{int(table.num_rows / best)} rows/s, {size / 1048576:.1f} MiB")
        os.remove(target)
    os.rmdir(out_dir)


if __name__ == "__main__":
    main()
