#!/usr/bin/env bash
# Runs the analytics command line (detect, noise, train, evaluate): builds it if needed, then forwards every
# argument. Build messages go to stderr so that stdout carries only the command's output (JSON lines).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dotnet build "$ROOT/analytics/EdgeSafety.Analytics.Cli/EdgeSafety.Analytics.Cli.csproj" -c Release --nologo -v quiet \
  -clp:ErrorsOnly >&2
exec dotnet "$ROOT/artifacts/bin/EdgeSafety.Analytics.Cli/release/edgesafety-analytics.dll" "$@"
