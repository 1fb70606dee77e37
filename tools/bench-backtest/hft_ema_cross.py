"""The EMA-cross rule of Huracan's `ema_cross` strategy, on hftbacktest, over a Huracan data
lake's book tops: EMA(10) and EMA(30) of the mid on every quote (both start at the first mid),
and on each cross a market order that reverses to 1,000 USDT of the coin in the new direction.

Each quote becomes book events (bid and ask levels; the previous level cleared when the price
moved, so the book holds only the top). `run(lake)` returns the figures of one multi-asset run (None
with `multi=False`) and of one run per coin. Only the backtests are timed, not loading the data.
"""
import glob
import math
import os
import time
from dataclasses import dataclass

import numpy as np
import pyarrow.parquet as pq
from numba import njit
from hftbacktest import (BacktestAsset, HashMapMarketDepthBacktest, DEPTH_EVENT, EXCH_EVENT, LOCAL_EVENT, BUY_EVENT, SELL_EVENT,
                         GTC, MARKET)
from hftbacktest.types import event_dtype

FAST, SLOW, NOTIONAL = 10, 30, 1_000.0


@dataclass
class Figures:
    quotes: int
    seconds: float
    orders: int
    runs: int = 1

    @property
    def rate(self):
        return self.quotes / self.seconds if self.seconds > 0 else 0.0


def load_quotes(lake):
    """Per coin: (times ns, bid, bid size, ask, ask size), in time order."""
    coins = {}
    for coin_dir in sorted(glob.glob(os.path.join(lake, "book", "*"))):
        files = sorted(glob.glob(os.path.join(coin_dir, "**", "*.parquet"), recursive=True))
        if not files:
            continue
        tables = [pq.read_table(f, columns=["time", "bid_price", "bid_size", "ask_price", "ask_size"]) for f in files]
        t = np.concatenate([tb.column("time").cast("int64").to_numpy() for tb in tables])
        cols = [np.concatenate([tb.column(c).to_numpy() for tb in tables]) for c in ["bid_price", "bid_size", "ask_price", "ask_size"]]
        order = np.argsort(t, kind="stable")
        coins[os.path.basename(coin_dir)] = (t[order], *[c[order] for c in cols])
    return coins


def events_for(times, bid, bid_size, ask, ask_size):
    """hftbacktest events for a coin's quotes: per quote, the old bid and ask levels set to zero
    when their price moved, then the new bid and ask levels."""
    flags = EXCH_EVENT | LOCAL_EVENT | DEPTH_EVENT
    n = len(times)
    bid_moved = np.zeros(n, np.bool_)
    ask_moved = np.zeros(n, np.bool_)
    bid_moved[1:] = bid[1:] != bid[:-1]
    ask_moved[1:] = ask[1:] != ask[:-1]
    # Four slots per quote in order (old bid, old ask, bid, ask); unused slots are dropped.
    out = np.zeros(4 * n, dtype=event_dtype)
    keep = np.ones(4 * n, np.bool_)
    for slot, (side, price, qty, present) in enumerate([
        (BUY_EVENT, np.concatenate([[0.0], bid[:-1]]), np.zeros(n), bid_moved),
        (SELL_EVENT, np.concatenate([[0.0], ask[:-1]]), np.zeros(n), ask_moved),
        (BUY_EVENT, bid, bid_size, np.ones(n, np.bool_)),
        (SELL_EVENT, ask, ask_size, np.ones(n, np.bool_)),
    ]):
        view = out[slot::4]
        view["ev"] = flags | side
        view["exch_ts"] = times
        view["local_ts"] = times
        view["px"] = price
        view["qty"] = qty
        keep[slot::4] = present
    return out[keep]


def tick_of(price):
    return 10.0 ** (math.floor(math.log10(price)) - 5)


def asset_for(events, price):
    return (BacktestAsset().data(events).linear_asset(1.0).constant_order_latency(0, 0).risk_adverse_queue_model()
            .no_partial_fill_exchange().trading_value_fee_model(0.0002, 0.0005).tick_size(tick_of(price)).lot_size(1e-8)
            .last_trades_capacity(0))


@njit
def ema_cross(hbt, count):
    """Every coin's EMA cross; a coin's new quote is recognised by its top of book changing (the
    feed does not say which asset an event was for)."""
    fast = np.zeros(count)
    slow = np.zeros(count)
    sign = np.zeros(count, np.int64)
    seen = np.zeros((count, 4))
    started = np.zeros(count, np.bool_)
    order_id = 0
    while hbt.wait_next_feed(False, 1_000_000_000_000) == 2:
        for a in range(count):
            depth = hbt.depth(a)
            bid, ask, bid_qty, ask_qty = depth.best_bid, depth.best_ask, depth.best_bid_qty, depth.best_ask_qty
            if bid == seen[a, 0] and ask == seen[a, 1] and bid_qty == seen[a, 2] and ask_qty == seen[a, 3]:
                continue
            seen[a, 0], seen[a, 1], seen[a, 2], seen[a, 3] = bid, ask, bid_qty, ask_qty
            if not (bid > 0 and ask > 0 and ask < 1e300):
                continue
            mid = (bid + ask) / 2
            if not started[a]:
                fast[a] = mid
                slow[a] = mid
                started[a] = True
                continue
            fast[a] += 2.0 / (FAST + 1) * (mid - fast[a])
            slow[a] += 2.0 / (SLOW + 1) * (mid - slow[a])
            now = 1 if fast[a] > slow[a] else (-1 if fast[a] < slow[a] else 0)
            if now == 0 or now == sign[a]:
                continue
            crossed = sign[a] != 0
            sign[a] = now
            if not crossed:
                continue
            target = now * NOTIONAL / mid
            qty = round((target - hbt.position(a)) / 1e-8) * 1e-8
            order_id += 1
            if qty > 0:
                hbt.submit_buy_order(a, order_id, ask, qty, GTC, MARKET, False)
            elif qty < 0:
                hbt.submit_sell_order(a, order_id, bid, -qty, GTC, MARKET, False)
            hbt.clear_inactive_orders(a)
    return order_id


def timed(assets):
    hbt = HashMapMarketDepthBacktest(assets)
    started = time.monotonic()
    orders = ema_cross(hbt, len(assets))
    seconds = time.monotonic() - started
    hbt.close()
    return seconds, orders


def run(lake, multi=True):
    coins = load_quotes(lake)
    prepared = [(events_for(*q), float(q[1][0]), len(q[0])) for q in coins.values()]
    quotes = sum(p[2] for p in prepared)
    # Compile once on a small slice (not timed).
    first = prepared[0]
    timed([asset_for(first[0][:100].copy(), first[1])])
    together = None
    if multi:
        seconds, orders = timed([asset_for(events, price) for events, price, _ in prepared])
        together = Figures(quotes, seconds, orders)
    total, total_orders = 0.0, 0
    for events, price, _ in prepared:
        s, o = timed([asset_for(events, price)])
        total += s
        total_orders += o
    return together, Figures(quotes, total, total_orders, runs=len(prepared))
