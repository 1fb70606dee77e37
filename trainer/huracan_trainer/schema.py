"""The feature schema, read from feature_schema.json, which `huracan models schema` writes from
the engine's Features.names and Features.schemaVersion (the single source of truth)."""

import json
from pathlib import Path

_SCHEMA = json.loads((Path(__file__).with_name("feature_schema.json")).read_text())

SCHEMA_VERSION: int = _SCHEMA["schema_version"]
FEATURES: list[str] = list(_SCHEMA["features"])
REGIMES: list[str] = list(_SCHEMA["regimes"])
# Columns of a data set besides the features.
TIME = "ts_ns"
MID = "mid"
REGIME = "regime"
