#!/usr/bin/env bash
# The whole chain on a simulated building, on loopback, with its data under .data/demo:
#   simulated meters and a noise sensor (Modbus RTU slaves) -- socat pty pair -- edge agent -- mosquitto
#   -- ingest -- influxd, and the dashboard following the broker live.
# Ctrl-C stops every process this script started (by process id), and nothing else.
# The broker takes TLS only, and every part connects with its own credentials (docs/security.md): the demo's CA and
# certificates are made once in .data/demo/pki, the passwords anew at each start in .data/demo/mosquitto/secrets (0600).
# Ports can be moved with environment variables: EDGESAFETY_MQTT_PORT (8883, MQTT over TLS), EDGESAFETY_INFLUX_PORT (8086),
# EDGESAFETY_DASHBOARD_PORT (8080); the services' own status ports are 8091 (ingest), 8092 (agent), 8093 (simulator).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

MQTT_PORT="${EDGESAFETY_MQTT_PORT:-8883}"
INFLUX_PORT="${EDGESAFETY_INFLUX_PORT:-8086}"
INFLUX_RPC_PORT="${EDGESAFETY_INFLUX_RPC_PORT:-8088}"
DASHBOARD_PORT="${EDGESAFETY_DASHBOARD_PORT:-8080}"
INGEST_PORT="${EDGESAFETY_INGEST_PORT:-8091}"
AGENT_PORT="${EDGESAFETY_AGENT_PORT:-8092}"
SIMULATOR_PORT="${EDGESAFETY_SIMULATOR_PORT:-8093}"
DATA="$ROOT/.data/demo"
LOGS="$DATA/logs"

"$ROOT/deploy/scripts/install-deps.sh" --for demo

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$MQTT_PORT" "$INFLUX_PORT" "$INFLUX_RPC_PORT" "$DASHBOARD_PORT" "$INGEST_PORT" "$AGENT_PORT" "$SIMULATOR_PORT"; do
  if port_in_use "$port"; then
    echo "error: port $port on 127.0.0.1 is already in use; stop what uses it or move the demo (see the top of $0)" >&2
    exit 1
  fi
done

echo "Building…"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build EdgeSafety.sln -c Release -nologo -clp:ErrorsOnly
BIN="$ROOT/artifacts/bin"

mkdir -p "$DATA/mosquitto" "$DATA/influxdb" "$LOGS"
PKI="$DATA/pki"
SECRETS="$DATA/mosquitto/secrets"
"$ROOT/deploy/scripts/demo-pki.sh" "$PKI"
# Access control generated from the demo's registry, with fresh passwords for the demo's own parts; the demo gateway
# gets its client at once (a real one is enrolled with a one-time code: docs/security.md). Gateways enrolled through
# the dashboard stay in the broker's file across restarts, and revoked ones stay out.
dotnet "$BIN/EdgeSafety.BrokerSecurity/release/EdgeSafety.BrokerSecurity.dll" --registry ingest/EdgeSafety.Ingest/alert-registry.demo.json \
  --out "$DATA/mosquitto" --gateway haizhu-demo/gw-01
DYNSEC_PLUGIN="$(ls /usr/lib/*-linux-gnu*/mosquitto_dynamic_security.so | head -n 1)"
{
  sed -e "s|@DATA_DIR@|$DATA/mosquitto|g" -e "s|@USER@|$(id -un)|g" deploy/mosquitto.conf.template
  sed -e "s|@PORT@|$MQTT_PORT|g" -e "s|@BIND@|127.0.0.1|g" -e "s|@CA_FILE@|$PKI/ca.pem|g" -e "s|@CERT_FILE@|$PKI/broker.pem|g" \
    -e "s|@KEY_FILE@|$PKI/broker.key|g" -e "s|@DYNSEC_PLUGIN@|$DYNSEC_PLUGIN|g" -e "s|@DATA_DIR@|$DATA/mosquitto|g" \
    deploy/mosquitto-security.conf.template
} > "$DATA/mosquitto.conf"
# Each service's broker settings: TLS with the demo CA, its own user, its password from its owner-only file.
mqtt_settings() { # user; sets MQTT_SETTINGS
  MQTT_SETTINGS=("--Mqtt:Port=$MQTT_PORT" "--Mqtt:TlsCaFile=$PKI/ca.pem" "--Mqtt:Username=$1" "--Mqtt:PasswordFile=$SECRETS/${1//:/-}.password")
}
sed -e "s|@HTTP_PORT@|$INFLUX_PORT|g" -e "s|@RPC_PORT@|$INFLUX_RPC_PORT|g" -e "s|@DATA_DIR@|$DATA/influxdb|g" \
  deploy/influxdb.conf.template > "$DATA/influxdb.conf"

pids=()
names=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping…"
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  echo "Stopped. Data kept in $DATA (delete it to start afresh)."
}
trap stop_all INT TERM EXIT

start() { # name, command...
  local name="$1"; shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

# Stops the demo (with the tail of its log) as soon as any part it started has died.
require_all_alive() {
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "error: ${names[$i]} stopped; its log ($LOGS/${names[$i]}.log) ends with:" >&2
      tail -n 20 "$LOGS/${names[$i]}.log" >&2
      exit 1
    fi
  done
}

wait_for() { # what, test command...
  local what="$1"; shift
  for _ in $(seq 1 150); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    require_all_alive
    sleep 0.2
  done
  echo "error: timed out waiting for $what" >&2
  exit 1
}

BUS_AGENT="$DATA/bus1-agent"
BUS_DEVICES="$DATA/bus1-devices"
start serial-line socat -d -d "pty,raw,echo=0,link=$BUS_AGENT" "pty,raw,echo=0,link=$BUS_DEVICES"
start mosquitto mosquitto -c "$DATA/mosquitto.conf"
start influxd influxd -config "$DATA/influxdb.conf"
wait_for "the serial line" test -e "$BUS_DEVICES"
wait_for "mosquitto on port $MQTT_PORT" port_in_use "$MQTT_PORT"
wait_for "influxd on port $INFLUX_PORT" curl -sf "http://127.0.0.1:$INFLUX_PORT/ping"

start simulator dotnet "$BIN/EdgeSafety.Simulators/release/EdgeSafety.Simulators.dll" \
  --urls "http://127.0.0.1:$SIMULATOR_PORT" --contentRoot "$BIN/EdgeSafety.Simulators/release" \
  --Simulator:Lines:0:DevicePath="$BUS_DEVICES"
mqtt_settings ingest
start ingest dotnet "$BIN/EdgeSafety.Ingest/release/EdgeSafety.Ingest.dll" \
  --urls "http://127.0.0.1:$INGEST_PORT" --contentRoot "$BIN/EdgeSafety.Ingest/release" \
  "${MQTT_SETTINGS[@]}" --Influx:BaseAddress="http://127.0.0.1:$INFLUX_PORT/" --Store:Directory="$DATA/ingest-spill" \
  --Alerts:Store:SqlitePath="$DATA/alerts.db" \
  --Noise:Sensors:0:Device=noise-courtyard --Noise:Sensors:0:Zone=1 --Noise:Sensors:0:RuleWindowMinutes=1 \
  --Noise:Sensors:0:WarningIntervalMinutes=2 --Noise:Sensors:0:EscalateAfterMinutes=2
mqtt_settings gateway:haizhu-demo:gw-01
start edge-agent dotnet "$BIN/EdgeSafety.EdgeAgent/release/EdgeSafety.EdgeAgent.dll" \
  --urls "http://127.0.0.1:$AGENT_PORT" --contentRoot "$BIN/EdgeSafety.EdgeAgent/release" \
  "${MQTT_SETTINGS[@]}" --Agent:Buses:0:DevicePath="$BUS_AGENT" --Store:Directory="$DATA/agent-store" \
  --Warning:Player=/bin/echo --Warning:Arguments:0={message} --Warning:MinimumIntervalMinutes=1 \
  --Warning:Messages:noise-exceedance:Text="Noise here is over the legal limit, please keep quiet" \
  --Warning:Messages:quiet-hours:Text="It is quiet hours now, please keep the noise down"
# One account per role, each with a new random password every run (only their hashes are stored; nothing is committed).
DASHBOARD_STORE=(--Dashboard:StorePath="$DATA/dashboard.db" --Alerts:Store:SqlitePath="$DATA/alerts.db")
ACCOUNTS=""
for account in "admin admin" "warden warden --person warden-liang --area nanzhou" "landlord landlord --person landlord-chen" \
               "landlord2 landlord --person landlord-huang" "installer installer --sites haizhu-demo"; do
  set -- $account
  name="$1"; role="$2"; shift 2
  line="$(dotnet "$BIN/EdgeSafety.Dashboard/release/EdgeSafety.Dashboard.dll" users reset --name "$name" "${DASHBOARD_STORE[@]}" 2>/dev/null \
    || dotnet "$BIN/EdgeSafety.Dashboard/release/EdgeSafety.Dashboard.dll" users add --name "$name" --role "$role" "$@" "${DASHBOARD_STORE[@]}")"
  ACCOUNTS+="$(printf '                     %-10s %-9s %s' $line)"$'\n'
done
# The session key ring beside the store must be owner-only or the dashboard refuses to start; demo data from before
# the dashboard created it so (0700) is tightened here, the demo's own folder only.
if [ -d "$DATA/keys" ]; then chmod 700 "$DATA/keys"; fi
mqtt_settings dashboard
start dashboard dotnet "$BIN/EdgeSafety.Dashboard/release/EdgeSafety.Dashboard.dll" \
  --urls "https://127.0.0.1:$DASHBOARD_PORT" --Kestrel:Certificates:Default:Path="$PKI/dashboard.pem" \
  --Kestrel:Certificates:Default:KeyPath="$PKI/dashboard.key" --contentRoot "$BIN/EdgeSafety.Dashboard/release" \
  "${MQTT_SETTINGS[@]}" --Influx:BaseAddress="http://127.0.0.1:$INFLUX_PORT/" "${DASHBOARD_STORE[@]}" \
  --Provisioning:Broker:Port="$MQTT_PORT" --Provisioning:Broker:TlsCaFile="$PKI/ca.pem" --Provisioning:Broker:Username=provisioning \
  --Provisioning:Broker:PasswordFile="$SECRETS/provisioning.password" \
  --Provisioning:GatewayBroker:Host=127.0.0.1 --Provisioning:GatewayBroker:Port="$MQTT_PORT" --Provisioning:GatewayBroker:CaFile="$PKI/ca.pem"
wait_for "the dashboard" curl -sf --cacert "$PKI/ca.pem" "https://127.0.0.1:$DASHBOARD_PORT/healthz"

cat <<READY

EdgeSafety demo is running.
  Dashboard          https://127.0.0.1:$DASHBOARD_PORT/  (the demo CA $PKI/ca.pem signs its certificate: import it
                     into the browser as a trusted authority, or accept the warning once); sign in as
                     (name, role, password; new passwords every run):
$ACCOUNTS  InfluxDB           http://127.0.0.1:$INFLUX_PORT/  (database "edgesafety"; try:
                     influx -port $INFLUX_PORT -database edgesafety -execute 'SELECT last(*) FROM meter GROUP BY device')
  MQTT               127.0.0.1:$MQTT_PORT over TLS, read-only as "observer" (every part has its own user; passwords in
                     $SECRETS, never printed):
                     mosquitto_sub -h 127.0.0.1 -p $MQTT_PORT --cafile $PKI/ca.pem -u observer \\
                       -P "\$(cat $SECRETS/observer.password)" -t 'edgesafety/#' -v
  Figures            curl http://127.0.0.1:$INGEST_PORT/metrics  (ingest), :$AGENT_PORT/metrics (agent)
  Simulated devices  curl http://127.0.0.1:$SIMULATOR_PORT/devices
                     pin a value: curl -X PUT -H 'Content-Type: application/json' \\
                       -d '{"db_a": 75}' http://127.0.0.1:$SIMULATOR_PORT/devices/noise-courtyard/pinned
                     an e-bike charging in room 301: curl -X PUT \\
                       http://127.0.0.1:$SIMULATOR_PORT/devices/meter-301/appliances/ebike-lead-acid-72v
                     (unplug it: curl -X DELETE with the same address)
  Alerts             signed in on the dashboard: GET /api/alerts, actions and the live stream (docs/dashboard.md); or
                     curl http://127.0.0.1:$INGEST_PORT/api/alerts  (ingest's own API: loopback only, no sign-in); the
                     EbikeCharging alert for room-301 shows within a minute of plugging it in
  Noise scenario     the courtyard sensor is judged on 1-minute windows in the demo (5 in production), so a
                     square dance is warned on site after about 2 minutes and reaches the wardens 2 minutes later:
                     curl -X PUT -H 'Content-Type: application/json' -d '{"scenario": "square-dancing"}' \\
                       http://127.0.0.1:$SIMULATOR_PORT/devices/noise-courtyard/scenario
                     the warnings:  the mosquitto_sub above with -t 'edgesafety/v1/+/+/+/warn' (commands, replies);
                                    the demo gateway "plays" them with echo: "Warning played" in its log
                     every step:    influx -port $INFLUX_PORT -database edgesafety -execute 'SELECT * FROM noise_event'
  Logs               $LOGS
Press Ctrl-C to stop.
READY

# Stay in the foreground while everything runs; stop as soon as any part dies.
while true; do
  require_all_alive
  sleep 1
done
