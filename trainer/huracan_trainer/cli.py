"""python -m huracan_trainer train | parity-fixture | schema"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from . import __version__, schema
from .data import DataError, coins_in
from .train import STYLE_HORIZONS, TARGETS, TrainOptions


def _train(args) -> int:
    coins = [c for c in (args.coins or "").split(",") if c] or coins_in(args.data)
    if not coins:
        print(f"{args.data}: no coin folders with data", file=sys.stderr)
        return 2
    options = TrainOptions(data_dir=args.data, out_dir=args.out, style=args.style, horizon_seconds=args.horizon,
                           target=args.target, fee_bps=args.fee_bps, min_edge_bps=args.min_edge_bps, trees=args.trees,
                           max_depth=args.depth, min_child_weight=args.min_child_weight, folds=args.folds,
                           min_rows=args.min_rows, threads=args.workers_per_coin, gpu=args.gpu_per_worker)
    started = time.time()
    if args.pool:
        options.threads = max(1, args.processes)
        mode = f"one model pooled over the coins, {options.threads} threads"
    else:
        mode = f"ray ({args.ray_address or 'local instance'})" if args.use_ray else f"{args.processes} local processes"
    print(f"training {len(coins)} coins ({args.style}, horizon {options.horizon:g}s, target {args.target}) on {mode}", flush=True)
    try:
        if args.pool:
            from .runner import report
            from .train import train_pooled
            results = train_pooled(coins, options, report)
        elif args.use_ray:
            from .runner import run_ray
            results = run_ray(coins, options, args.ray_address or None, args.workers_per_coin, args.gpu_per_worker, args.cpus)
        else:
            from .runner import run_local
            results = run_local(coins, options, args.processes)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    elapsed = time.time() - started
    summary = {"coins": len(results), "failed": len(coins) - len(results), "seconds": round(elapsed, 2), "mode": mode,
               "manifests": [str(Path(args.out) / r["coin"] / "manifest.json") for r in results]}
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"trained {len(results)} of {len(coins)} coins in {elapsed:.1f}s", flush=True)
    return 0 if len(results) == len(coins) else 1


def _parity_fixture(args) -> int:
    """A random model and data set for the Swift parity test: model.json, features.f64
    (rows x features, little-endian float64, NaN = missing) and predictions.f32 (xgboost's own)."""
    import numpy as np
    import xgboost as xgb

    rng = np.random.default_rng(args.seed)
    n, k = args.rows, len(schema.FEATURES)
    X = rng.normal(size=(n, k)) * rng.uniform(0.5, 50, size=k)
    y = X[:, 0] * 0.3 - np.tanh(X[:, 5]) * 4 + np.sin(X[:, 2] / 10) * 2 + rng.normal(size=n)
    if args.objective == "binary:logistic":
        y = (y > 0).astype(np.float64)
    X[rng.random(X.shape) < 0.05] = np.nan
    params = {"objective": args.objective, "max_depth": args.depth, "eta": 0.1, "tree_method": "hist", "nthread": 1, "seed": 1}
    booster = xgb.train(params, xgb.DMatrix(X, label=y, feature_names=schema.FEATURES), num_boost_round=args.trees)
    booster.set_attr(huracan_feature_schema_version=str(schema.SCHEMA_VERSION), huracan_horizon_seconds="300.0",
                     huracan_style="scalp", huracan_regime="all", huracan_trainer_version=__version__)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(out / "model.json"))
    test = rng.normal(size=(n, k)) * rng.uniform(0.5, 50, size=k)
    test[rng.random(test.shape) < 0.05] = np.nan
    preds = booster.predict(xgb.DMatrix(test, feature_names=schema.FEATURES))
    test.astype("<f8").tofile(out / "features.f64")
    preds.astype("<f4").tofile(out / "predictions.f32")
    print(json.dumps({"rows": n, "features": k, "trees": args.trees, "xgboost": xgb.__version__}))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="huracan_trainer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train models for coins in a data directory")
    t.add_argument("--data", required=True, help="feature data: {data}/{coin}/{YYYYMMDD}.parquet or .csv")
    t.add_argument("--out", required=True, help="output: {out}/{coin}/{regime}.json and manifest.json")
    t.add_argument("--coins", default="", help="comma-separated coins (default: every coin folder)")
    t.add_argument("--style", choices=sorted(STYLE_HORIZONS), default="scalp")
    t.add_argument("--horizon", type=float, default=0.0, help="label horizon in seconds (default: the style's)")
    t.add_argument("--target", choices=sorted(TARGETS), default="volatility",
                   help="label units: volatility (return / (volatility x sqrt(horizon)), default) or bps")
    t.add_argument("--pool", action="store_true",
                   help="one model over all the coins' rows, written for each coin (default: one model per coin)")
    t.add_argument("--fee-bps", type=float, default=5.0, help="taker fee per side in bps")
    t.add_argument("--min-edge-bps", type=float, default=5.0, help="validation trades need |edge| - cost >= this")
    t.add_argument("--trees", type=int, default=200)
    t.add_argument("--depth", type=int, default=3)
    t.add_argument("--min-child-weight", type=float, default=200.0, help="rows a tree leaf needs (XGBoost min_child_weight)")
    t.add_argument("--folds", type=int, default=4, help="walk-forward folds")
    t.add_argument("--min-rows", type=int, default=600, help="rows needed to train a regime's model")
    t.add_argument("--use-ray", action="store_true", help="one Ray task per coin")
    t.add_argument("--ray-address", default="", help="Ray cluster address (empty: a local instance)")
    t.add_argument("--cpus", type=int, default=None, help="CPUs of the local Ray instance (default: all)")
    t.add_argument("--workers-per-coin", type=int, default=1, help="CPUs (threads) per coin task")
    t.add_argument("--gpu-per-worker", type=int, default=0, help="GPUs per coin task (CUDA when present)")
    t.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="local worker processes without Ray")
    t.set_defaults(func=_train)
    p = sub.add_parser("parity-fixture", help="model, rows and xgboost predictions for the Swift parity test")
    p.add_argument("--out", required=True)
    p.add_argument("--rows", type=int, default=10_000)
    p.add_argument("--trees", type=int, default=200)
    p.add_argument("--depth", type=int, default=6)
    p.add_argument("--objective", default="reg:squarederror", choices=["reg:squarederror", "binary:logistic"])
    p.add_argument("--seed", type=int, default=11)
    p.set_defaults(func=_parity_fixture)
    s = sub.add_parser("schema", help="print the feature schema the trainer uses")
    s.set_defaults(func=lambda _: print(json.dumps({"schema_version": schema.SCHEMA_VERSION, "features": schema.FEATURES})) or 0)
    args = parser.parse_args(argv)
    return args.func(args)
