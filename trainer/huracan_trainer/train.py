"""Training one coin: labels, walk-forward validation, final models per regime."""

import datetime as dt
import json
import time
from dataclasses import dataclass, asdict
from pathlib import Path

import numpy as np
import xgboost as xgb

from . import __version__, schema
from .data import load_coin

# Seconds a trade of each style is expected to be held (the engine's StrategyParameters).
STYLE_HORIZONS = {"scalp": 300.0, "runner": 3600.0}


@dataclass
class TrainOptions:
    data_dir: str
    out_dir: str
    style: str = "scalp"
    horizon_seconds: float = 0.0          # 0: the style's horizon
    fee_bps: float = 5.0                  # taker fee per side
    trees: int = 200
    max_depth: int = 6
    learning_rate: float = 0.05
    folds: int = 4
    min_rows: int = 600
    threads: int = 1
    gpu: int = 0                          # gpu_per_worker: use CUDA when > 0 and a GPU is present
    seed: int = 7

    @property
    def horizon(self) -> float:
        return self.horizon_seconds or STYLE_HORIZONS[self.style]


def forward_returns(ts: np.ndarray, mid: np.ndarray, horizon_s: float) -> np.ndarray:
    """Log return in bps from each row to the first row at least `horizon_s` later (NaN at the end)."""
    target = ts + np.int64(horizon_s * 1e9)
    j = np.searchsorted(ts, target, side="left")
    out = np.full(len(ts), np.nan)
    ok = j < len(ts)
    out[ok] = np.log(mid[j[ok]] / mid[ok]) * 1e4
    return out


def round_trip_cost_bps(X: np.ndarray, fee_bps: float) -> np.ndarray:
    """Spread plus taker fees both ways, in bps (funding over a short horizon is ignored)."""
    spread = X[:, schema.FEATURES.index("spread_bps")]
    return np.nan_to_num(spread, nan=0.0) + 2 * fee_bps


def labels(ret: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """The forward return net of costs: the move beyond the round-trip cost, signed; zero when
    no side would have paid for its costs."""
    return np.sign(ret) * np.maximum(np.abs(ret) - cost, 0.0)


def evaluate(pred: np.ndarray, ret: np.ndarray, cost: np.ndarray, ts: np.ndarray, horizon_s: float) -> dict:
    """Trades on non-overlapping rows (one per horizon) where the prediction is non-zero:
    P&L = side x return - cost. Sharpe is annualised by the trade rate."""
    keep, last = [], None
    for i, t in enumerate(ts):
        if last is None or t - last >= horizon_s * 1e9:
            keep.append(i)
            last = t
    idx = np.asarray(keep, dtype=np.int64)
    p, r, c = pred[idx], ret[idx], cost[idx]
    trade = np.abs(p) > 1e-9
    pnl = np.sign(p[trade]) * r[trade] - c[trade]
    n = int(trade.sum())
    years = max((ts[-1] - ts[0]) / 1e9 / (365.25 * 86400), 1e-9) if len(ts) > 1 else 1e-9
    if n >= 2 and pnl.std() > 0:
        sharpe = float(pnl.mean() / pnl.std() * np.sqrt(n / years))
    else:
        sharpe = 0.0
    hits = np.sign(p[trade]) == np.sign(r[trade])
    return {
        "trades": n,
        "sharpe": sharpe,
        "win_rate": float((pnl > 0).mean()) if n else 0.0,
        "hit_rate": float(hits.mean()) if n else 0.0,
        "edge_after_cost_bps": float(pnl.mean()) if n else 0.0,
    }


def _params(options: TrainOptions) -> dict:
    device = "cpu"
    if options.gpu > 0 and xgb.build_info().get("USE_CUDA"):
        device = "cuda"
    return {
        "objective": "reg:squarederror", "max_depth": options.max_depth, "eta": options.learning_rate,
        "subsample": 0.8, "colsample_bytree": 0.8, "tree_method": "hist", "device": device,
        "nthread": options.threads, "seed": options.seed, "verbosity": 0,
    }


def _fit(X, y, options: TrainOptions) -> xgb.Booster:
    dtrain = xgb.DMatrix(X, label=y, feature_names=schema.FEATURES)
    return xgb.train(_params(options), dtrain, num_boost_round=options.trees)


def walk_forward(X, y, ret, cost, ts, options: TrainOptions) -> dict:
    """Expanding-window walk-forward: fold k trains on segments 0..k and tests on k+1."""
    n = len(y)
    edges = np.linspace(0, n, options.folds + 2).astype(int)
    preds = np.zeros(0)
    test_rows = []
    for k in range(1, options.folds + 1):
        train_end, test_end = edges[k], edges[k + 1]
        if train_end < 50 or test_end - train_end < 10:
            continue
        booster = _fit(X[:train_end], y[:train_end], options)
        p = booster.predict(xgb.DMatrix(X[train_end:test_end], feature_names=schema.FEATURES))
        preds = np.concatenate([preds, p])
        test_rows.append(np.arange(train_end, test_end))
    if not test_rows:
        return evaluate(np.zeros(1), np.zeros(1), np.zeros(1), ts[:1], options.horizon) | {"folds": 0}
    rows = np.concatenate(test_rows)
    return evaluate(preds, ret[rows], cost[rows], ts[rows], options.horizon) | {"folds": len(test_rows)}


def _iso(ns: int) -> str:
    return dt.datetime.fromtimestamp(ns / 1e9, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def train_coin(coin: str, options: TrainOptions) -> dict:
    """Trains the coin's models (one per regime with enough rows, and one for all regimes),
    writes {out}/{coin}/{regime}.json and {out}/{coin}/manifest.json; returns a summary."""
    started = time.time()
    data = load_coin(options.data_dir, coin)
    ts, mid, X, regimes = data["ts"], data["mid"], data["X"], data["regime"]
    ret = forward_returns(ts, mid, options.horizon)
    valid = ~np.isnan(ret)
    ts, X, ret, regimes = ts[valid], X[valid], ret[valid], regimes[valid]
    cost = round_trip_cost_bps(X, options.fee_bps)
    y = labels(ret, cost)
    out = Path(options.out_dir) / coin
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for regime in ["all", *[r for r in schema.REGIMES if r != "all"]]:
        mask = np.ones(len(y), dtype=bool) if regime == "all" else regimes == regime
        if mask.sum() < options.min_rows:
            continue
        metrics = walk_forward(X[mask], y[mask], ret[mask], cost[mask], ts[mask], options)
        booster = _fit(X[mask], y[mask], options)
        booster.set_attr(huracan_feature_schema_version=str(schema.SCHEMA_VERSION),
                         huracan_horizon_seconds=repr(options.horizon), huracan_style=options.style,
                         huracan_regime=regime, huracan_trainer_version=__version__)
        path = out / f"{regime}.json"
        booster.save_model(str(path))
        metrics["rows"] = int(mask.sum())
        entries.append({
            "coin": coin, "regime": regime, "style": options.style, "horizon_seconds": options.horizon,
            "sharpe_ratio": metrics["sharpe"], "performance_metrics": metrics,
            "feature_schema_version": schema.SCHEMA_VERSION,
            "training_start": _iso(int(ts[mask][0])), "training_end": _iso(int(ts[mask][-1])),
            "trainer_version": __version__, "last_retrain_date": _iso(time.time_ns()),
            "artifact": f"{coin}/{regime}.json",
        })
    (out / "manifest.json").write_text(json.dumps({"models": entries}, indent=2) + "\n")
    return {"coin": coin, "models": len(entries), "rows": int(len(y)), "seconds": round(time.time() - started, 2),
            "best_sharpe": max((e["sharpe_ratio"] for e in entries), default=0.0)}


def options_dict(options: TrainOptions) -> dict:
    return asdict(options)
