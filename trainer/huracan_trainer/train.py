"""Training: labels, walk-forward validation, final models, per coin or pooled over coins.

Labels are the forward log return over the horizon. With the default target `volatility` they
are divided by the coin's volatility over the horizon (volatility_bps x sqrt(horizon)), so one
model fits coins of any volatility; the engine multiplies the output back by the coin's current
volatility (`huracan_target = volatility_units`). Labels are clipped at 3 units (3 standard
deviations in `bps` mode): a jump is not a forecast. The model predicts the gross move; the
engine's cost gate subtracts the live costs, and so does the validation here.
"""

import datetime as dt
import json
import time
from dataclasses import dataclass, asdict
from pathlib import Path

import numpy as np
import xgboost as xgb

from . import __version__, schema
from .data import load_coin

# Seconds a trade of each style is expected to be held when no --horizon is given.
STYLE_HORIZONS = {"scalp": 120.0, "runner": 3600.0}
TARGETS = {"volatility": "volatility_units", "bps": "bps"}
LABEL_CLIP = 3.0


@dataclass
class TrainOptions:
    data_dir: str
    out_dir: str
    style: str = "scalp"
    horizon_seconds: float = 0.0          # 0: the style's horizon
    target: str = "volatility"            # volatility (units of volatility x sqrt(horizon)) or bps
    fee_bps: float = 5.0                  # taker fee per side
    min_edge_bps: float = 5.0             # the cost gate of the validation trades
    trees: int = 200
    max_depth: int = 3
    min_child_weight: float = 200.0
    learning_rate: float = 0.05
    folds: int = 4
    min_rows: int = 600
    pool_max_rows: int = 3_000_000        # pooled training keeps every k-th row above this
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


def scale_bps(X: np.ndarray, horizon_s: float, target: str) -> np.ndarray:
    """Bps per unit of model output: volatility x sqrt(horizon), or 1 for the bps target."""
    if target == "bps":
        return np.ones(len(X))
    vol = np.nan_to_num(X[:, schema.FEATURES.index("volatility_bps")], nan=0.0)
    return np.maximum(vol, 1e-9) * np.sqrt(horizon_s)


def labels(ret: np.ndarray, scale: np.ndarray, target: str) -> np.ndarray:
    """The forward return in model units, clipped at LABEL_CLIP units (standard deviations for bps)."""
    y = ret / scale
    limit = LABEL_CLIP if target != "bps" else LABEL_CLIP * max(float(np.std(y)), 1e-9)
    return np.clip(y, -limit, limit)


def trade_pnl(edge: np.ndarray, ret: np.ndarray, cost: np.ndarray, ts: np.ndarray, horizon_s: float, min_edge_bps: float) -> np.ndarray:
    """The trades the engine's cost gate would take, one at a time (a trade lasts the horizon),
    entered where |edge| - cost >= min_edge_bps: rows of (P&L = side x return - cost, gross
    side x return), in bps."""
    pnl, busy_until = [], None
    for i in np.flatnonzero(np.abs(edge) - cost >= min_edge_bps):
        if busy_until is not None and ts[i] < busy_until:
            continue
        gross = np.sign(edge[i]) * ret[i]
        pnl.append((gross - cost[i], gross))
        busy_until = ts[i] + horizon_s * 1e9
    return np.asarray(pnl).reshape(-1, 2)


def evaluate(trades: np.ndarray, ts: np.ndarray) -> dict:
    """Figures of validation trades (rows of net and gross P&L); Sharpe annualised by the trade
    rate over the span `ts`; hit rate = share of trades whose direction was right."""
    pnl = trades[:, 0]
    n = len(pnl)
    years = max((ts[-1] - ts[0]) / 1e9 / (365.25 * 86400), 1e-9) if len(ts) > 1 else 1e-9
    sharpe = float(pnl.mean() / pnl.std() * np.sqrt(n / years)) if n >= 2 and pnl.std() > 0 else 0.0
    return {
        "trades": n,
        "sharpe": sharpe,
        "win_rate": float((pnl > 0).mean()) if n else 0.0,
        "hit_rate": float((trades[:, 1] > 0).mean()) if n else 0.0,
        "edge_after_cost_bps": float(pnl.mean()) if n else 0.0,
    }


def _params(options: TrainOptions) -> dict:
    device = "cpu"
    if options.gpu > 0 and xgb.build_info().get("USE_CUDA"):
        device = "cuda"
    return {
        "objective": "reg:squarederror", "max_depth": options.max_depth, "eta": options.learning_rate,
        "min_child_weight": options.min_child_weight, "subsample": 0.8, "colsample_bytree": 0.8,
        "tree_method": "hist", "device": device, "nthread": options.threads, "seed": options.seed, "verbosity": 0,
    }


def _fit(X, y, options: TrainOptions) -> xgb.Booster:
    dtrain = xgb.DMatrix(X, label=y, feature_names=schema.FEATURES)
    return xgb.train(_params(options), dtrain, num_boost_round=options.trees)


def _predict(booster: xgb.Booster, X: np.ndarray) -> np.ndarray:
    return booster.predict(xgb.DMatrix(X, feature_names=schema.FEATURES))


class CoinRows:
    """One coin's rows with their forward return, label, bps scale and round-trip cost."""

    def __init__(self, coin: str, options: TrainOptions):
        data = load_coin(options.data_dir, coin)
        ret = forward_returns(data["ts"], data["mid"], options.horizon)
        valid = ~np.isnan(ret)
        self.coin = coin
        self.ts, self.X, self.ret, self.regime = data["ts"][valid], data["X"][valid], ret[valid], data["regime"][valid]
        self.scale = scale_bps(self.X, options.horizon, options.target)
        self.y = labels(self.ret, self.scale, options.target)
        self.cost = round_trip_cost_bps(self.X, options.fee_bps)

    def __len__(self) -> int:
        return len(self.y)

    def pnl(self, pred: np.ndarray, rows: np.ndarray, edge_scale: float, options: TrainOptions) -> np.ndarray:
        return trade_pnl(pred * self.scale[rows] * edge_scale, self.ret[rows], self.cost[rows], self.ts[rows], options.horizon,
                         options.min_edge_bps)


def edge_scale(validation: list[tuple["CoinRows", np.ndarray, np.ndarray]]) -> float:
    """Calibration of the predicted edge to the realised move on out-of-sample rows: the slope of
    the forward return on the prediction (in bps, through the origin), within [0, 1.5]. Trees fitted
    to noisy returns overstate their strongest predictions, which are the ones the cost gate lets
    through; scaling by this slope makes "edge after cost" mean what it says. 1 without validation."""
    num = den = 0.0
    for rows, i, p in validation:
        edge = p * rows.scale[i]
        num += float(np.dot(edge, rows.ret[i]))
        den += float(np.dot(edge, edge))
    return min(1.5, max(0.0, num / den)) if den > 0 else 1.0


def walk_forward(rows: CoinRows, mask: np.ndarray, options: TrainOptions) -> dict:
    """Expanding-window walk-forward on one coin's rows: fold k trains on segments 0..k and tests on k+1."""
    index = np.flatnonzero(mask)
    edges = np.linspace(0, len(index), options.folds + 2).astype(int)
    validation = []
    for k in range(1, options.folds + 1):
        train, test = index[:edges[k]], index[edges[k]:edges[k + 1]]
        if len(train) < 50 or len(test) < 10:
            continue
        booster = _fit(rows.X[train], rows.y[train], options)
        validation.append((rows, test, _predict(booster, rows.X[test])))
    scale = edge_scale(validation)
    pnl = [rows.pnl(p, test, scale, options) for rows, test, p in validation]
    trades = np.concatenate(pnl) if pnl else np.zeros((0, 2))
    tested = rows.ts[index[edges[1]:]] if validation else rows.ts[:1]
    return evaluate(trades, tested) | {"folds": len(validation), "edge_scale": scale}


def _iso(ns: int) -> str:
    return dt.datetime.fromtimestamp(ns / 1e9, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _save(booster: xgb.Booster, rows: CoinRows, regime: str, mask: np.ndarray, metrics: dict, options: TrainOptions,
          pooled_coins: int = 0) -> dict:
    """Writes {out}/{coin}/{regime}.json with the engine's attributes; returns its manifest entry."""
    out = Path(options.out_dir) / rows.coin
    out.mkdir(parents=True, exist_ok=True)
    booster.set_attr(huracan_feature_schema_version=str(schema.SCHEMA_VERSION),
                     huracan_horizon_seconds=repr(options.horizon), huracan_style=options.style,
                     huracan_regime=regime, huracan_trainer_version=__version__,
                     huracan_target=TARGETS[options.target], huracan_edge_scale=repr(metrics["edge_scale"]),
                     huracan_pooled_coins=str(pooled_coins))
    booster.save_model(str(out / f"{regime}.json"))
    metrics["rows"] = int(mask.sum())
    return {
        "coin": rows.coin, "regime": regime, "style": options.style, "horizon_seconds": options.horizon,
        "sharpe_ratio": metrics["sharpe"], "performance_metrics": metrics,
        "feature_schema_version": schema.SCHEMA_VERSION,
        "training_start": _iso(int(rows.ts[mask][0])), "training_end": _iso(int(rows.ts[mask][-1])),
        "trainer_version": __version__, "last_retrain_date": _iso(time.time_ns()),
        "artifact": f"{rows.coin}/{regime}.json",
    }


def _write_manifest(coin: str, entries: list[dict], options: TrainOptions) -> None:
    out = Path(options.out_dir) / coin
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(json.dumps({"models": entries}, indent=2) + "\n")


def train_coin(coin: str, options: TrainOptions) -> dict:
    """Trains the coin's models on its own rows (one per regime with enough rows, and one for all
    regimes), writes {out}/{coin}/{regime}.json and {out}/{coin}/manifest.json; returns a summary."""
    started = time.time()
    rows = CoinRows(coin, options)
    entries = []
    for regime in ["all", *[r for r in schema.REGIMES if r != "all"]]:
        mask = np.ones(len(rows), dtype=bool) if regime == "all" else rows.regime == regime
        if mask.sum() < options.min_rows:
            continue
        metrics = walk_forward(rows, mask, options)
        booster = _fit(rows.X[mask], rows.y[mask], options)
        entries.append(_save(booster, rows, regime, mask, metrics, options))
    _write_manifest(coin, entries, options)
    return {"coin": coin, "models": len(entries), "rows": len(rows), "seconds": round(time.time() - started, 2),
            "best_sharpe": max((e["sharpe_ratio"] for e in entries), default=0.0)}


def train_pooled(coins: list[str], options: TrainOptions, report=None) -> list[dict]:
    """One model over the rows of all `coins` (an `all` model; the target should be `volatility`
    so coins of different volatility share one scale), written for each coin with the coin's own
    validation figures. Validation folds split by time across all coins, so no fold trains on a
    moment it is tested on. Many small per-coin samples overfit trees; pooling gives them data."""
    started = time.time()
    data = [CoinRows(coin, options) for coin in coins]
    data = [rows for rows in data if len(rows) > 0]
    if not data:
        return []
    ts_all = np.concatenate([rows.ts for rows in data])
    total = len(ts_all)
    stride = max(1, -(-total // options.pool_max_rows))
    edges = np.quantile(ts_all, np.linspace(0, 1, options.folds + 2))
    validation = []
    for k in range(1, options.folds + 1):
        train = [(rows, np.flatnonzero(rows.ts < edges[k])[::stride]) for rows in data]
        if sum(len(i) for _, i in train) < 50:
            continue
        booster = _fit(np.vstack([rows.X[i] for rows, i in train]), np.concatenate([rows.y[i] for rows, i in train]), options)
        for rows in data:
            test = np.flatnonzero((rows.ts >= edges[k]) & ((rows.ts < edges[k + 1]) | (k == options.folds)))
            if len(test) >= 10:
                validation.append((rows, test, _predict(booster, rows.X[test])))
    scale = edge_scale(validation)
    pnl = {rows.coin: [] for rows in data}
    tested_from = {}
    for rows, test, p in validation:
        tested_from.setdefault(rows.coin, test[0])
        pnl[rows.coin].append(rows.pnl(p, test, scale, options))
    booster = _fit(np.vstack([rows.X[::stride] for rows in data]), np.concatenate([rows.y[::stride] for rows in data]), options)
    # The model is judged (and ranked, and activated) on its validation trades over all coins: a
    # coin's own few hours of trades are too small a sample to reject the model for that coin.
    # The coin's own figures are kept beside them (coin_*).
    everything = [p for coin_pnl in pnl.values() for p in coin_pnl]
    tested_span = np.array([ts_all[ts_all >= edges[1]].min(), ts_all.max()]) if validation else ts_all[:1]   # evaluate reads its ends only
    pooled = evaluate(np.concatenate(everything) if everything else np.zeros((0, 2)), tested_span)
    results = []
    for rows in data:
        trades = np.concatenate(pnl[rows.coin]) if pnl[rows.coin] else np.zeros((0, 2))
        tested = rows.ts[tested_from.get(rows.coin, 0):]
        own = evaluate(trades, tested)
        metrics = pooled | {f"coin_{k}": v for k, v in own.items()} | {"folds": len(pnl[rows.coin]), "pooled_coins": len(data),
                                                                       "edge_scale": scale}
        entry = _save(booster, rows, "all", np.ones(len(rows), dtype=bool), metrics, options, pooled_coins=len(data))
        _write_manifest(rows.coin, [entry], options)
        results.append({"coin": rows.coin, "models": 1, "rows": len(rows), "seconds": round(time.time() - started, 2),
                        "best_sharpe": entry["sharpe_ratio"]})
        if report:
            report(len(results), len(data), results[-1], started)
    return results


def options_dict(options: TrainOptions) -> dict:
    return asdict(options)
