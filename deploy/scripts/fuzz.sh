#!/usr/bin/env bash
# Runs the fuzzing harness (docs/fuzzing.md): builds it if needed, then forwards every argument, e.g.
#   ./edgesafety fuzz --cases 1000000 --target readings
#   ./edgesafety fuzz --target web --base http://127.0.0.1:8091/
# Crash inputs are saved under artifacts/fuzz-crashes unless --crashes says otherwise. Runs at low priority (nice).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dotnet build "$ROOT/tests/EdgeSafety.Fuzz/EdgeSafety.Fuzz.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
crashes=(--crashes "$ROOT/artifacts/fuzz-crashes")
for argument in "$@"; do
  [ "$argument" = "--crashes" ] && crashes=()
done
exec nice -n 10 dotnet "$ROOT/artifacts/bin/EdgeSafety.Fuzz/release/edgesafety-fuzz.dll" "${crashes[@]}" "$@"
