#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages EdgeSafety runs and tests on, only those missing.
# Usage: install-deps.sh [--for demo|test]   (test adds the browser and the interop peers)
set -euo pipefail

purpose="demo"
if [ "${1:-}" = "--for" ]; then purpose="${2:-demo}"; fi

packages=(mosquitto mosquitto-clients libmosquitto1 libmodbus5 libxgboost0 influxdb influxdb-client socat curl openssl)
# The dashboard's browser code is built with npm (dashboard/EdgeSafety.Dashboard/client); a node already on PATH will do.
if ! command -v npm >/dev/null; then packages+=(nodejs npm); fi
if [ "$purpose" = "test" ]; then
  # python3-serial-asyncio is only a recommendation of python3-pymodbus, but its serial server needs it.
  # python3-aiosmtpd: a real SMTP server for the e-mail notification tests.
  packages+=(mbpoll python3-pymodbus python3-serial-asyncio python3-xgboost chromium python3-aiosmtpd postgresql)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "error: the .NET SDK 10 is required (dotnet not found on PATH); see README.md" >&2
  exit 1
fi
