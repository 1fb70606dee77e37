"""Huracan's trainer: the only Python in the project.

Reads the engine's feature data ({data}/{coin}/{YYYYMMDD}.parquet or .csv), builds labels
(forward return over the style's horizon net of costs), trains XGBoost per coin and regime,
validates walk-forward, and writes XGBoost JSON models plus a manifest that
`huracan models register` turns into registry rows.
"""

__version__ = "0.1.0"
