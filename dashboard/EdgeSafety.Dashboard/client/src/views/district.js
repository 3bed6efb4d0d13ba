// The warden's district: a map of the area's buildings coloured by state with their live noise levels, the open
// alert queue with its actions, and for the selected building its units, a live noise chart and the on-site warning.
import { get, post, messageOf } from "../api.js";
import { h, replace } from "../dom.js";
import { t, tOr } from "../i18n.js";
import { coalesced, onLive } from "../live.js";
import { alertQueue } from "../components/alerts.js";
import { unitPowers } from "../components/unit-power.js";
import { districtMap } from "../components/map.js";
import { liveDeviceChart } from "../components/live-chart.js";

export async function districtView(main, { user }) {
  const mapPanel = h("section", { class: "panel map-panel", "aria-labelledby": "map-title" }, h("h2", { id: "map-title" }, t("map.title")));
  const buildingPanel = h("section", { class: "panel building-panel", "aria-live": "polite" }, h("p", { class: "muted" }, t("district.pick")));
  const queuePanel = h("section", { class: "panel queue-panel", "aria-labelledby": "queue-title" }, h("h2", { id: "queue-title" }, t("district.queue")));
  main.append(h("div", { class: "district" }, h("div", { class: "district-left" }, mapPanel, buildingPanel), queuePanel));

  const [buildings, alerts, wardens] = await Promise.all([get("/api/buildings"), get("/api/alerts?open=true"), get("/api/wardens")]);
  const noiseDevices = new Map(); // building -> Map(device -> { site, gateway, device })
  let current = buildings;
  let selected = null;
  let stopChart = null;

  const map = districtMap(mapPanel, { onSelect: building => select(building.id) });
  map.render(current);
  const queue = alertQueue(queuePanel, { wardens, emptyText: t("district.noAlerts") });
  queue.setAll(alerts);

  // The selected building's rooms, redrawn when the buildings are reloaded; power moves with each reading.
  const unitList = h("ul", { class: "units" });
  const powers = unitPowers();
  function renderUnits() {
    const building = current.find(item => item.id === selected);
    powers.clear();
    replace(unitList, (building?.units ?? []).map(unit => {
      return h("li", { dataset: { unit: unit.id, state: unit.state } },
        h("a", { href: `#/unit/${encodeURIComponent(unit.id)}` }, unit.name),
        h("span", { class: `state-word state-${unit.state}` }, t(`buildingState.${unit.state}`)),
        powers.element(unit));
    }));
  }

  async function select(id) {
    selected = id;
    stopChart?.();
    stopChart = null;
    const building = current.find(item => item.id === id);
    if (!building) return;
    const sensors = [...(noiseDevices.get(id)?.values() ?? [])];
    const chartHolder = h("div", { class: "chart-holder" });
    replace(buildingPanel, h("h2", {}, building.name), unitList, chartHolder, warningForm(sensors));
    renderUnits();
    if (sensors.length) {
      const sensor = sensors[0];
      stopChart = await liveDeviceChart(chartHolder, {
        site: sensor.site, device: sensor.device, title: t("chart.noiseOf", { device: sensor.device }),
        fields: [{ field: "db_a", label: t("chart.noise"), unit: "dB(A)" }],
      });
    }
  }

  function warningForm(sensors) {
    if (!sensors.length) return h("p", { class: "muted" }, t("warning.noSensor"));
    const target = h("select", { id: "warning-target" }, sensors.map(sensor => h("option", { value: sensor.device }, sensor.device)));
    const message = h("select", { id: "warning-message" });
    const send = h("button", { type: "submit", class: "danger", disabled: true }, t("warning.send"));
    const status = h("p", { role: "status", class: "action-status" });
    const form = h("form", { class: "warning" },
      h("h3", {}, t("warning.title")),
      h("label", { for: "warning-target" }, t("warning.target")), target,
      h("label", { for: "warning-message" }, t("warning.message")), message,
      send, status);
    // Only the recordings the sensor's gateway announced it has (its Warning:Messages), asked again per loudspeaker.
    async function loadMessages() {
      const sensor = sensors.find(item => item.device === target.value);
      send.disabled = true;
      replace(message);
      try {
        const { messages } = await get(`/api/warnings/${encodeURIComponent(sensor.site)}/${encodeURIComponent(sensor.gateway)}/${encodeURIComponent(sensor.device)}/messages`);
        replace(message, (messages ?? []).map(name => h("option", { value: name }, tOr(`warning.message.${name}`, name))));
        send.disabled = !messages?.length;
        replace(status, messages == null ? t("warning.unannounced") : messages.length ? "" : t("warning.noMessages"));
      } catch (error) {
        replace(status, messageOf(error));
      }
    }
    target.addEventListener("change", loadMessages);
    loadMessages();
    form.addEventListener("submit", async event => {
      event.preventDefault();
      const sensor = sensors.find(item => item.device === target.value);
      replace(status, t("alert.working"));
      try {
        await post("/api/warnings", { site: sensor.site, gateway: sensor.gateway, target: sensor.device, message: message.value });
        replace(status, t("warning.sent"));
      } catch (error) {
        replace(status, messageOf(error));
      }
    });
    return form;
  }

  // Several alert events in a burst cost one reload of the (small) building list.
  const refreshBuildings = coalesced(async () => {
    current = await get("/api/buildings");
    map.render(current);
    renderUnits();
  });

  const stops = [
    onLive("alert", alert => {
      queue.update(alert);
      refreshBuildings();
    }),
    onLive("reading", reading => {
      powers.update(reading);
      if (reading.kind !== "noise" || !reading.building) return;
      if (!noiseDevices.has(reading.building)) noiseDevices.set(reading.building, new Map());
      const known = noiseDevices.get(reading.building).has(reading.device);
      noiseDevices.get(reading.building).set(reading.device, { site: reading.site, gateway: reading.gateway, device: reading.device });
      const building = current.find(item => item.id === reading.building);
      if (building && reading.values.db_a !== undefined) {
        building.noiseDb = reading.values.db_a;
        map.setNoise(reading.building, reading.values.db_a);
      }
      if (!known && reading.building === selected && !stopChart) select(selected);
    }),
  ];

  if (current.length === 1) select(current[0].id);

  return () => {
    stops.forEach(stop => stop());
    stopChart?.();
    queue.destroy();
    refreshBuildings.cancel();
  };
}
