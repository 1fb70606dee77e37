#!/usr/bin/env python3
"""Backtest benchmark: Huracan on stored data against hftbacktest on the same quotes.

    tools/bench-backtest/bench.py [--data DIR] [--coins 400] [--hours 1] [--huracan PATH] [--skip-peer]

Without --data it generates a data set (400 coins, one simulated hour) with `huracan data
generate`. It then runs, on a release build (2 cores here; read the ratios, not the absolutes):

1. `huracan backtest --data DIR` with the default strategy (books, trades and funding);
2. `huracan backtest` with `ema_cross` on the same data's book tops only (a copy of the lake
   holding only its `book` partitions), the quotes the peer sees;
3. when the Python package `hftbacktest` is installed: the same EMA-cross rule (EMA fast/slow of
   the mid on every quote, a market order of 1,000 USDT on each cross, reversing) on the same
   quotes, once as one multi-asset backtest over every coin and once per coin (each coin its own
   single-asset backtest, times summed).

It prints events/s, wall time and peak RSS of each, and the ratios. Loading the peer's data into
arrays is not timed; Huracan's figures include reading and decoding the Parquet files.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run_huracan(huracan, args, label):
    """Runs a backtest in a fresh child (so its peak RSS is its own); returns (events, events/s,
    wall seconds, peak RSS MB)."""
    code = ("import resource, subprocess, sys; out = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "sys.stdout.write(out.stdout + out.stderr); "
            "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, out.returncode)")
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code, huracan, "backtest", *args], capture_output=True, text=True)
    wall = time.monotonic() - started
    tail = re.search(r"PEAK_RSS_KB (\d+) (-?\d+)", out.stdout)
    if not tail or tail.group(2) != "0":
        sys.exit(f"{label}: huracan backtest failed:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    match = re.search(r"(\d+) stored events in ([\d.]+)s \((\d+) events/s\)", out.stdout)
    if not match:
        sys.exit(f"{label}: no event count in the output:\n{out.stdout[-2000:]}")
    events, rate, rss = int(match.group(1)), int(match.group(3)), int(tail.group(1)) / 1024
    print(f"{label}: {events:,} events, {rate:,} events/s (engine's own clock), {wall:.2f} s wall, peak RSS {rss:.0f} MB", flush=True)
    return events, rate, wall, rss


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="data lake to use (default: generate one in a temporary directory)")
    parser.add_argument("--coins", type=int, default=400)
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--huracan", default=os.path.join(REPO, ".build", "release", "huracan"))
    parser.add_argument("--skip-peer", action="store_true", help="do not run hftbacktest even when installed")
    parser.add_argument("--skip-multi", action="store_true",
                        help="skip hftbacktest's multi-asset run (about 40k quotes/s here: 14 minutes for 6 hours of 400 coins)")
    args = parser.parse_args()
    if not os.access(args.huracan, os.X_OK):
        sys.exit(f"no release build at {args.huracan}: run swift build -c release")
    work = tempfile.mkdtemp(prefix="bench-backtest-")
    try:
        data = args.data
        if not data:
            data = os.path.join(work, "lake")
            print(f"generating {args.coins} coins x {args.hours} h into {data} ...", flush=True)
            subprocess.run([args.huracan, "data", "generate", "--data", data, "--coins", str(args.coins), "--hours", str(args.hours)],
                           check=True, stdout=subprocess.DEVNULL)
        quotes = os.path.join(work, "quotes")
        os.makedirs(quotes)
        os.symlink(os.path.abspath(os.path.join(data, "book")), os.path.join(quotes, "book"))
        ema = os.path.join(work, "ema.yaml")
        with open(ema, "w") as f:
            f.write("engine:\n  strategy:\n    name: ema_cross\n    ema_cross: {fast: 10, slow: 30, notional_usdt: 1000}\n")

        print(f"machine: {os.cpu_count()} cores; huracan {args.huracan}")
        default = run_huracan(args.huracan, ["--data", data], "huracan, default strategy, books + trades + funding")
        ours = run_huracan(args.huracan, ["--data", quotes, "-c", ema], "huracan, ema_cross, book tops only")

        if args.skip_peer:
            return
        try:
            import hftbacktest  # noqa: F401
        except ImportError:
            print("hftbacktest is not installed (pip install hftbacktest): no peer figures")
            return
        sys.path.insert(0, os.path.dirname(__file__))
        import hft_ema_cross
        multi, single = hft_ema_cross.run(data, multi=not args.skip_multi)
        if multi:
            print(f"hftbacktest {hftbacktest.__version__}, one multi-asset run: {multi.quotes:,} quotes in {multi.seconds:.2f} s, "
                  f"{multi.rate:,.0f} quotes/s, {multi.orders} orders")
        print(f"hftbacktest, one run per coin ({single.runs} runs): {single.quotes:,} quotes in {single.seconds:.2f} s, "
              f"{single.rate:,.0f} quotes/s, {single.orders} orders")
        print(f"ratio, huracan ema_cross / hftbacktest per coin: {ours[1] / single.rate:.2f}x (target >= 1.5x)")
        if multi:
            print(f"ratio, huracan ema_cross / hftbacktest multi-asset: {ours[1] / multi.rate:.1f}x (target >= 10x)")
        print(f"ratio, huracan default strategy (all events) / hftbacktest per coin: {default[1] / single.rate:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
