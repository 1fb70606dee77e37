#!/usr/bin/env bash
# Soak: paper-trade 400 coins for a long time and record, every minute, the engine's resident
# memory (in all, and split into anonymous memory, i.e. heap and stacks, and file-backed pages of
# the binary and libraries, which grow as more code paths run), open file descriptors and
# threads, then judge growth (last 10 minutes against minutes 6-15; the target is under 5 %).
#
#   tools/soak/soak.sh [MINUTES=120] [OUT=soak-YYYYmmdd-HHMM.csv]
#
# Needs a release build (swift build -c release). Runs on the embedded defaults (simulated venue,
# SQLite, in-process bus); the status port is 127.0.0.1:${SOAK_PORT:-19090} so it does not collide
# with a running engine (set SOAK_PORT for a second soak beside the first). Not part of CI.
set -euo pipefail
minutes=${1:-120}
out=${2:-soak-$(date -u +%Y%m%d-%H%M).csv}
repo=$(cd "$(dirname "$0")/../.." && pwd)
huracan=${HURACAN:-$repo/.build/release/huracan}
[ -x "$huracan" ] || { echo "no release build at $huracan: run swift build -c release" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/soak.yaml" <<YAML
engine:
  mode: paper
  active_coins: 400
  max_active_trades: 500
  data_dir: "$work/data"
  message_bus:
    type: in_process
  model_registry:
    metadata_db: "sqlite:$work/data/registry.sqlite"
  observability:
    prometheus:
      port: ${SOAK_PORT:-19090}
YAML
"$huracan" run -c "$work/soak.yaml" --duration "$((minutes + 1))m" --log-level warning > "$work/run.log" 2>&1 &
pid=$!
echo "minute,rss_mb,anon_mb,file_mb,fds,threads,cpu_seconds" > "$out"
echo "soak: pid $pid, $minutes minutes, samples in $out"
for ((m = 1; m <= minutes; m++)); do
  sleep 60
  kill -0 "$pid" 2>/dev/null || { echo "the engine exited early; log:" >&2; tail -20 "$work/run.log" >&2; exit 1; }
  rss=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
  anon=$(awk '/RssAnon/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
  file=$(awk '/RssFile/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
  threads=$(awk '/Threads/ {print $2}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$pid/stat")
  echo "$m,$rss,$anon,$file,$fds,$threads,$cpu" | tee -a "$out"
done
kill -INT "$pid"; wait "$pid" || true
python3 - "$out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
if len(rows) < 25:
    print(f"{len(rows)} samples: too short to judge growth (needs 25 minutes: 5 warm-up, 10 early, 10 late)")
    sys.exit(0)
early, late = rows[5:15], rows[-10:]
for key in ["rss_mb", "anon_mb", "file_mb", "fds", "threads"]:
    a = sum(float(r[key]) for r in early) / len(early)
    b = sum(float(r[key]) for r in late) / len(late)
    growth = (b - a) / a * 100 if a else 0.0
    print(f"{key}: {a:.1f} -> {b:.1f} ({growth:+.1f} %) {'ok' if growth < 5 else 'GROWS'}")
PY
