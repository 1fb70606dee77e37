#!/usr/bin/env python3
"""Build config/universe.csv: Huracan's 400-coin USDT-perpetual universe.

Inputs are point-in-time instrument snapshots (see README.md next to this file and
the README.md in the sources folder): Binance USD-M exchangeInfo, OKX SWAP
instruments and Bybit linear instruments. Standard library only, deterministic:
the same inputs always give a byte-identical CSV.

Which instruments count (per venue)
    Binance: contractType PERPETUAL, quote and margin USDT, status TRADING,
             underlyingType COIN, no TradFi/ETF/Pre-IPO tag.
    OKX:     instType SWAP, settleCcy USDT, ctType linear, state live, *-USDT-SWAP.
    Bybit:   contractType LinearPerpetual, quote and settle USDT, status Trading.
Base assets are normalised (leading 1000.../1M multiplier prefix, trailing 1000 on
Bybit, aliases LUNA2->LUNA, BEAMX->BEAM, RAYSOL/RAYDIUM->RAY, PUMPFUN->PUMP,
TSTBSC->TST). Stablecoins, index products (BTCDOM, ETHBTC, ...) and tickers that
are not plain A-Z/0-9 are dropped. Only coins listed on Binance or Bybit are
eligible; the reference instrument (tick/lot/min-notional/multiplier) is the
Binance symbol if there is one, else the Bybit symbol.

Ranking (there is no volume data in the snapshots)
    1. LIQUID_MAJORS: a hand-written ordered list of ~40 of the most liquid
       perpetuals from public volume rankings (only those actually listed).
    2. Everything else by: number of venues listing it (3, 2, 1), then Bybit
       leverageFilter.maxLeverage (higher first; it tracks liquidity, 0 if not
       on Bybit), then the oldest listing date (min of Binance onboardDate and
       Bybit launchTime), then the coin name.
    The first 400 are kept. Tiers: ranks 1-10 -> 1, 11-50 -> 2, 51-200 -> 3,
    201-400 -> 4.
    Possibly-same-asset groups that the sources README says were not merged
    (MANTRA/OM, NEIRO/NEIROCTO, BROCCOLI*, BOB/BOBBOB, MKR/SKY, plus FRAX/FXS and
    DODOX/DODO found here) are never merged; only the best-ranked member of each
    group is kept, so the universe never holds the same asset twice.

Sector
    SECTOR_OVERRIDES (hand-written, well-known cases: exchange tokens, privacy
    coins, payment coins, major L1s, memes, RWA) wins. Otherwise the Binance
    underlyingSubType tags are mapped (case-insensitive; Alpha, Chinese, Index
    and other non-sector tags ignored) and, if several map, the most specific
    one wins by TAG_PRECEDENCE:
        Meme > AI > RWA > Storage > Payments > Privacy > Gaming > Exchange >
        DeFi > L2 > Infrastructure > L1
    (narrow themes before broad platform categories). No tag, no override ->
    Other. In the 2026-05-18 snapshot no live symbol carries two sector tags,
    so the precedence is a tie-breaker only.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCES = REPO_ROOT / ".." / "shared" / "universe-sources"
DEFAULT_OUT = REPO_ROOT / "config" / "universe.csv"

BINANCE_FILE = "binance-usdm-exchangeinfo.json"
OKX_FILE = "okx-swap-instruments.json"
BYBIT_FILE = "bybit-linear-instruments.json"

UNIVERSE_SIZE = 400
COLUMNS = [
    "rank", "coin", "sector", "tier", "tick_size", "lot_size", "min_notional",
    "multiplier", "binance_symbol", "okx_symbol", "bybit_symbol", "okx_contract_value",
]
SECTORS = ["L1", "L2", "DeFi", "Meme", "AI", "Gaming", "Infrastructure",
           "Exchange", "Privacy", "Payments", "RWA", "Storage", "Other"]

# Ordered by typical perpetual-futures volume (public rankings, 2025-26).
LIQUID_MAJORS = [
    "BTC", "ETH", "SOL", "XRP", "DOGE", "BNB", "SUI", "ADA", "LINK", "AVAX",
    "LTC", "PEPE", "WIF", "TRX", "DOT", "BCH", "NEAR", "APT", "ARB", "OP",
    "TON", "FIL", "ATOM", "UNI", "AAVE", "ENA", "WLD", "TIA", "SEI", "INJ",
    "HYPE", "ETC", "XLM", "HBAR", "SHIB", "TAO", "ONDO", "FARTCOIN", "TRUMP", "BONK",
]

TIER_BOUNDS = [(10, 1), (50, 2), (200, 3), (UNIVERSE_SIZE, 4)]

ALIASES = {"LUNA2": "LUNA", "BEAMX": "BEAM", "RAYSOL": "RAY", "RAYDIUM": "RAY",
           "PUMPFUN": "PUMP", "TSTBSC": "TST"}

STABLECOINS = {
    "USDT", "USDC", "FDUSD", "TUSD", "BUSD", "DAI", "USDE", "USD1", "RLUSD",
    "PYUSD", "USDD", "USDS", "USDP", "USDG", "USDF", "FRXUSD", "BFUSD", "XUSD",
    "EURC", "EURI", "AEUR", "USDX", "SUSD", "GHO", "LUSD", "CRVUSD",
}
INDEX_PRODUCTS = {"BTCDOM", "ETHBTC", "DEFI", "ALL", "FOOTBALL", "BLUEBIRD"}
TRADFI_TAGS = {"tradfi", "etf", "pre-ipo"}

# Possibly the same asset under two tickers: never merged, keep the best-ranked.
AMBIGUOUS_GROUPS = [
    {"MANTRA", "OM"},
    {"NEIRO", "NEIROCTO", "NEIROETH"},
    {"BROCCOLI714", "BROCCOLIF3B", "BROCCOLI"},
    {"BOB", "BOBBOB"},
    {"MKR", "SKY"},
    {"FRAX", "FXS"},
    {"DODOX", "DODO"},
]

TAG_MAP = {
    "layer-1": "L1", "pow": "L1", "layer-2": "L2", "defi": "DeFi", "dex": "DeFi",
    "meme": "Meme", "ai": "AI", "gaming": "Gaming", "metaverse": "Gaming",
    "nft": "Gaming", "infrastructure": "Infrastructure", "storage": "Storage",
    "payment": "Payments", "rwa": "RWA", "cex": "Exchange",
}
TAG_PRECEDENCE = ["Meme", "AI", "RWA", "Storage", "Payments", "Privacy", "Gaming",
                  "Exchange", "DeFi", "L2", "Infrastructure", "L1"]


def _group(sector: str, coins: str) -> dict[str, str]:
    return {c: sector for c in coins.split()}


SECTOR_OVERRIDES: dict[str, str] = {
    **_group("Exchange", "BNB OKB CRO BGB GT LEO KCS MX WOO HT FTT"),
    **_group("Privacy", "XMR ZEC DASH ZEN SCRT ROSE DUSK NIGHT XVG ARRR FIRO"),
    **_group("Payments", "XRP XLM LTC BCH BSV XEC PUNDIX ACH COTI HUMA"),
    **_group("L1", "BTC ETH SOL ADA AVAX DOT NEAR APT SUI TON TRX ATOM SEI ETC "
                   "HBAR KAS ALGO ICP EGLD LUNA LUNC HYPE"),
    **_group("Meme", "DOGE SHIB PEPE WIF BONK FLOKI TRUMP FARTCOIN POPCAT BRETT "
                     "MEW MOG BOME NEIRO NEIROCTO PNUT TURBO PENGU SPX MOODENG GOAT "
                     "CHILLGUY MELANIA BABYDOGE CAT SATS RATS CHEEMS BOB BOBBOB DOG "
                     "PONKE GIGA HPOS10I USELESS PIPPIN TOSHI MUBARAK BROCCOLI "
                     "BROCCOLI714 BROCCOLIF3B MEME PEOPLE"),
    **_group("RWA", "ONDO OM MANTRA PLUME PAXG XAUT CFG"),
    # Binance tags that are plainly wrong or missing for well-known coins.
    **_group("L2", "STX LRC"),
    **_group("L1", "ONE CORE"),
    **_group("Gaming", "TNSR SUPER RARE"),
    **_group("DeFi", "RAY EUL"),
    **_group("Meme", "DEGEN"),
}

MULT_PREFIX = re.compile(r"^(10{3,}|1M)(?=[A-Z])")


# ---------------------------------------------------------------- helpers
def strip_decimal(value: str) -> str:
    """Exchange decimal string with trailing zeros stripped, never exponent form."""
    s = str(value).strip()
    if not re.fullmatch(r"\d+(\.\d+)?", s):
        raise ValueError(f"not a plain decimal: {value!r}")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    s = s.lstrip("0") or "0"
    if s.startswith("."):
        s = "0" + s
    return s


def split_multiplier(raw_base: str, venue: str) -> tuple[str, int]:
    """('1000PEPE', 'binance') -> ('PEPE', 1000); ('SHIB1000', 'bybit') -> ('SHIB', 1000)."""
    base, mult = raw_base.upper(), 1
    m = MULT_PREFIX.match(base)
    if m and len(base) > len(m.group(1)):
        p = m.group(1)
        mult = 1_000_000 if p == "1M" else int(p)
        base = base[len(p):]
    elif venue == "bybit" and base.endswith("1000") and len(base) > 4 and not base[:-4].isdigit():
        base, mult = base[:-4], 1000
    return ALIASES.get(base, base), mult


def filters(sym: dict) -> dict[str, dict]:
    return {f["filterType"]: f for f in sym.get("filters", [])}


def iso(ms: int | None) -> str:
    if not ms:
        return "-"
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d")


# ---------------------------------------------------------------- loaders
def load_binance(path: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for s in json.loads(path.read_text(encoding="utf-8"))["symbols"]:
        if (s.get("contractType") != "PERPETUAL" or s.get("quoteAsset") != "USDT"
                or s.get("marginAsset") != "USDT" or s.get("status") != "TRADING"):
            continue
        tags = [t for t in s.get("underlyingSubType") or []]
        base, mult = split_multiplier(s["baseAsset"], "binance")
        if s.get("underlyingType") != "COIN":
            INDEX_PRODUCTS.add(base)
            continue
        if any(t.lower() in TRADFI_TAGS for t in tags):
            continue
        f = filters(s)
        rec = {
            "symbol": s["symbol"], "mult": mult, "tags": tags,
            "tick": f["PRICE_FILTER"]["tickSize"], "lot": f["LOT_SIZE"]["stepSize"],
            "min_notional": f["MIN_NOTIONAL"]["notional"],
            "listed": int(s.get("onboardDate") or 0) or None,
        }
        if base in out:
            raise SystemExit(f"duplicate Binance base {base}: {out[base]['symbol']} / {s['symbol']}")
        out[base] = rec
    return out


def load_okx(path: Path) -> tuple[dict[str, dict], int]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, dict] = {}
    for i in doc["instruments"]:
        iid = i.get("instId", "")
        if (i.get("instType") != "SWAP" or i.get("settleCcy") != "USDT"
                or i.get("ctType") != "linear" or i.get("state") != "live"
                or not iid.endswith("-USDT-SWAP") or iid.count("-") != 2):
            continue
        base, _ = split_multiplier(iid.split("-")[0], "okx")
        if base in out:
            raise SystemExit(f"duplicate OKX base {base}")
        out[base] = {"symbol": iid, "ct_val": i["ctVal"]}
    return out, int(doc.get("updated_at") or 0)


def load_bybit(path: Path) -> dict[str, dict]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    items = doc.values() if isinstance(doc, dict) else doc
    out: dict[str, dict] = {}
    for s in sorted(items, key=lambda x: x["symbol"]):
        if (s.get("contractType") != "LinearPerpetual" or s.get("status") != "Trading"
                or s.get("quoteCoin") != "USDT" or s.get("settleCoin") != "USDT"
                or s.get("isPreListing")):
            continue
        base, mult = split_multiplier(s["baseCoin"], "bybit")
        if base in out:
            raise SystemExit(f"duplicate Bybit base {base}")
        lot = s["lotSizeFilter"]
        out[base] = {
            "symbol": s["symbol"], "mult": mult,
            "tick": s["priceFilter"]["tickSize"], "lot": lot["qtyStep"],
            "min_notional": lot["minNotionalValue"],
            "max_lev": Decimal(s["leverageFilter"]["maxLeverage"]),
            "listed": int(s.get("launchTime") or 0) or None,
        }
    return out


# ---------------------------------------------------------------- logic
def sector_for(coin: str, tags: list[str]) -> str:
    if coin in SECTOR_OVERRIDES:
        return SECTOR_OVERRIDES[coin]
    mapped = {TAG_MAP[t.strip().lower()] for t in tags if t.strip().lower() in TAG_MAP}
    for sector in TAG_PRECEDENCE:
        if sector in mapped:
            return sector
    return "Other"


def tier_for(rank: int) -> int:
    for bound, tier in TIER_BOUNDS:
        if rank <= bound:
            return tier
    raise ValueError(rank)


def build(sources: Path) -> tuple[list[dict], dict]:
    bn = load_binance(sources / BINANCE_FILE)
    ok, okx_ts = load_okx(sources / OKX_FILE)
    by = load_bybit(sources / BYBIT_FILE)

    dropped: Counter = Counter()
    candidates = []
    for coin in sorted(set(bn) | set(ok) | set(by)):
        if coin in STABLECOINS:
            dropped["stablecoin"] += 1
            continue
        if coin in INDEX_PRODUCTS:
            dropped["index product"] += 1
            continue
        if not re.fullmatch(r"[A-Z0-9]+", coin):
            dropped["non-ASCII ticker"] += 1
            continue
        if coin not in bn and coin not in by:
            dropped["OKX only"] += 1
            continue
        b, o, y = bn.get(coin), ok.get(coin), by.get(coin)
        dates = [d for d in ((b or {}).get("listed"), (y or {}).get("listed")) if d]
        candidates.append({
            "coin": coin, "b": b, "o": o, "y": y,
            "venues": sum(x is not None for x in (b, o, y)),
            "max_lev": y["max_lev"] if y else Decimal(0),
            "listed": min(dates) if dates else 2**62,
        })

    major_pos = {c: i for i, c in enumerate(LIQUID_MAJORS)}

    def key(c: dict):
        if c["coin"] in major_pos:
            return (0, major_pos[c["coin"]], 0, 0, "")
        return (1, -c["venues"], -c["max_lev"], c["listed"], c["coin"])

    candidates.sort(key=key)

    kept, seen_groups = [], set()
    for c in candidates:
        grp = next((i for i, g in enumerate(AMBIGUOUS_GROUPS) if c["coin"] in g), None)
        if grp is not None:
            if grp in seen_groups:
                dropped["ambiguous duplicate"] += 1
                continue
            seen_groups.add(grp)
        kept.append(c)
    eligible = len(kept)
    kept = kept[:UNIVERSE_SIZE]
    if len(kept) < UNIVERSE_SIZE:
        raise SystemExit(f"only {len(kept)} eligible coins, need {UNIVERSE_SIZE}")

    rows = []
    for rank, c in enumerate(kept, start=1):
        ref = c["b"] or c["y"]
        rows.append({
            "rank": rank, "coin": c["coin"],
            "sector": sector_for(c["coin"], (c["b"] or {}).get("tags", [])),
            "tier": tier_for(rank),
            "tick_size": strip_decimal(ref["tick"]),
            "lot_size": strip_decimal(ref["lot"]),
            "min_notional": strip_decimal(ref["min_notional"]),
            "multiplier": ref["mult"],
            "binance_symbol": c["b"]["symbol"] if c["b"] else "",
            "okx_symbol": c["o"]["symbol"] if c["o"] else "",
            "bybit_symbol": c["y"]["symbol"] if c["y"] else "",
            "okx_contract_value": strip_decimal(c["o"]["ct_val"]) if c["o"] else "",
        })

    meta = {
        "binance_live": len(bn), "okx_live": len(ok), "bybit_live": len(by),
        "eligible": eligible, "dropped": dict(sorted(dropped.items())),
        "okx_updated": iso(okx_ts * 1000),
        "binance_newest_listing": iso(max(v["listed"] or 0 for v in bn.values())),
        "bybit_newest_listing": iso(max(v["listed"] or 0 for v in by.values())),
        "min_venues_in_universe": min(c["venues"] for c in kept),
        "last_rank_venues": kept[-1]["venues"],
    }
    return rows, meta


def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n",
                       quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


# ---------------------------------------------------------------- checks
def check(csv_text: str) -> list[dict]:
    """Re-read the written CSV and assert the universe invariants."""
    assert "\"" not in csv_text and "#" not in csv_text, "CSV must be plain"
    reader = csv.DictReader(io.StringIO(csv_text))
    assert reader.fieldnames == COLUMNS, reader.fieldnames
    rows = list(reader)
    assert len(rows) == UNIVERSE_SIZE, len(rows)
    assert len({r["coin"] for r in rows}) == UNIVERSE_SIZE, "duplicate coin"
    assert [int(r["rank"]) for r in rows] == list(range(1, UNIVERSE_SIZE + 1)), "ranks"
    dec = re.compile(r"\d+(\.\d*[1-9])?")
    for r in rows:
        assert re.fullmatch(r"[A-Z0-9]+", r["coin"]), r
        for col in ("tick_size", "lot_size", "min_notional"):
            v = r[col]
            assert dec.fullmatch(v) and Decimal(v) > 0, (col, r)
        if r["okx_contract_value"]:
            assert dec.fullmatch(r["okx_contract_value"]) and Decimal(r["okx_contract_value"]) > 0, r
        assert (r["okx_symbol"] == "") == (r["okx_contract_value"] == ""), r
        assert r["multiplier"].isdigit() and int(r["multiplier"]) >= 1, r
        assert r["sector"] in SECTORS, r
        assert r["tier"] in {"1", "2", "3", "4"}, r
        assert r["binance_symbol"] or r["bybit_symbol"], r
    tiers = [int(r["tier"]) for r in rows]
    assert tiers == sorted(tiers), "tiers must be non-decreasing with rank"
    return rows


def summary(rows: list[dict], meta: dict) -> str:
    lines = [f"universe: {len(rows)} coins (eligible {meta['eligible']}; "
             f"live crypto USDT perps Binance {meta['binance_live']}, OKX {meta['okx_live']}, "
             f"Bybit {meta['bybit_live']})",
             f"dropped: {meta['dropped']}",
             f"fewest venues for an included coin: {meta['min_venues_in_universe']}",
             f"snapshots: Binance newest listing {meta['binance_newest_listing']}, "
             f"OKX updated_at {meta['okx_updated']}, Bybit newest launch {meta['bybit_newest_listing']}"]
    sec = Counter(r["sector"] for r in rows)
    lines.append("per sector: " + ", ".join(f"{s} {sec[s]}" for s in SECTORS))
    tier = Counter(str(r["tier"]) for r in rows)
    lines.append("per tier:   " + ", ".join(f"{t} {tier[t]}" for t in "1234"))
    ven = {"binance": sum(bool(r["binance_symbol"]) for r in rows),
           "okx": sum(bool(r["okx_symbol"]) for r in rows),
           "bybit": sum(bool(r["bybit_symbol"]) for r in rows)}
    nv = Counter(sum(bool(r[k]) for k in ("binance_symbol", "okx_symbol", "bybit_symbol"))
                 for r in rows)
    lines.append("per venue:  " + ", ".join(f"{k} {v}" for k, v in ven.items())
                 + f"; on 3 venues {nv[3]}, on 2 {nv[2]}, on 1 {nv[1]}")
    ref = Counter("binance" if r["binance_symbol"] else "bybit" for r in rows)
    lines.append(f"reference venue: binance {ref['binance']}, bybit {ref['bybit']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                    help="folder with the venue snapshots (default: ../shared/universe-sources "
                         "relative to the repo root)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="output CSV (default: config/universe.csv in the repo)")
    args = ap.parse_args(argv)

    rows, meta = build(args.sources.resolve())
    text = to_csv(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="")
    check(args.out.read_text(encoding="utf-8"))
    print(f"wrote {args.out}")
    print(summary(rows, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
