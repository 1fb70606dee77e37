#!/usr/bin/env bash
# The fast test set for day-to-day work: every suite except the slow integration ones below
# (live fault drills and kill -9s, whole engine runs of the binary against fake venues, Redis and
# PostgreSQL, walk-forward and training runs). CI runs everything (`swift test --no-parallel`).
#
#   tools/test-fast.sh [extra swift test options]
set -euo pipefail
slow=(
  LiveKillNineTests LiveRestartTests LiveFaultMatrixTests LiveRunTests LiveVenueTests LiveRankingTests
  SecretLeakTests DependencyOutageTests MultiProcessTests HangupReloadTests CommandSignalTests
  WalkForwardTests DistributedTrainingTests RetrainingTests XGBoostParityTests
  EngineTests EngineBreakerTests EngineRecordingTests RoutingTests ObservabilityTests CostRankingTests
  EventDrivenReplayTests ReportBrowserTests VenueReconcilerTests SimulatedMarketStatisticsTests
)
cd "$(dirname "$0")/.."
exec swift test --skip "$(IFS='|'; echo "${slow[*]}")" "$@"
