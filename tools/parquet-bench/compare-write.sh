#!/bin/sh
# Side-by-side Parquet write rate: Huracan's writer and pyarrow on the same rows, same codec,
# both including fsync and rename. Run from the repository root after a release build:
#   swift build -c release --scratch-path .build-release
#   tools/parquet-bench/compare-write.sh [ROWS] [HURACAN_BINARY]
set -eu
ROWS=${1:-1000000}
BIN=${2:-.build-release/release/huracan}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
for codec in snappy zstd; do
  "$BIN" data bench-write --data "$DIR/$codec" --rows "$ROWS" --files 3 --codec "$codec" | sed "s/^/huracan /"
done
python3 "$(dirname "$0")/pyarrow_write_bench.py" "$DIR/snappy/book/C0/20250127.parquet" --codecs snappy,zstd --repeat 3
