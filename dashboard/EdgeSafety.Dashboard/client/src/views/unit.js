// One unit: its open alerts, the live last hour of each of its devices (charging sessions shaded on the power
// curve), and its history by day, week or month. A unit outside the user's scope answers 404 like a missing one.
import { get } from "../api.js";
import { h, replace } from "../dom.js";
import { t } from "../i18n.js";
import { onLive } from "../live.js";
import { timeChart } from "../charts.js";
import { alertQueue } from "../components/alerts.js";
import { liveDeviceChart } from "../components/live-chart.js";

const DAY = 86_400_000;
const RANGES = { day: DAY, week: 7 * DAY, month: 30 * DAY };

function fieldsOf(kind) {
  return kind === "noise"
    ? [{ field: "db_a", label: t("chart.noise"), unit: "dB(A)" }]
    : [{ field: "power_w", label: t("chart.power"), unit: "W" }];
}

export async function unitView(main, { user, params }) {
  const unit = await get(`/api/units/${encodeURIComponent(params[0] ?? "")}`);
  const alertsPanel = h("section", { class: "panel" }, h("h2", {}, t("unit.alerts")));
  const livePanel = h("section", { class: "panel" }, h("h2", {}, t("unit.live")));
  const historyPanel = h("section", { class: "panel" }, h("h2", {}, t("unit.history")));
  main.append(h("div", { class: "unit", dataset: { unit: unit.id } },
    h("h1", {}, unit.name, " ", h("span", { class: `state-word state-${unit.state}` }, t(`buildingState.${unit.state}`))),
    alertsPanel, livePanel, historyPanel));

  const queue = alertQueue(alertsPanel, { compact: user.role === "landlord", emptyText: t("unit.noAlerts") });
  queue.setAll(unit.alerts ?? []);
  const stopAlerts = onLive("alert", alert => { if (alert.unit === unit.id) queue.update(alert); });

  const devices = unit.devices ?? [];
  if (devices.length === 0) livePanel.append(h("p", { class: "empty" }, t("unit.noDevices")));
  const stops = await Promise.all(devices.map(device => liveDeviceChart(livePanel, {
    site: device.site, device: device.device, title: t("chart.lastHour", { device: device.device }),
    fields: fieldsOf(device.kind), sessions: device.kind !== "noise",
  })));

  const rangeButtons = h("div", { class: "ranges", role: "group", "aria-label": t("unit.range") });
  const historyCharts = h("div", {});
  historyPanel.append(rangeButtons, historyCharts);
  let charts = [];
  async function showRange(range) {
    replace(rangeButtons, Object.keys(RANGES).map(name => h("button", { "aria-pressed": String(name === range), onclick: () => showRange(name) }, t(`range.${name}`))));
    charts.forEach(chart => chart.destroy());
    charts = [];
    for (const device of devices) {
      const fields = fieldsOf(device.kind);
      const chart = timeChart(historyCharts, { title: t("chart.history", { device: device.device, range: t(`range.${range}`) }), series: fields, windowMs: RANGES[range] });
      charts.push(chart);
      const base = `/api/history/${encodeURIComponent(device.site)}/${encodeURIComponent(device.device)}`;
      const history = await get(`${base}?range=${range}`);
      chart.setData(history.points.map(point => Date.parse(point.t)), fields.map(({ field }) => history.points.map(point => point.values[field] ?? null)));
      if (device.kind !== "noise") {
        chart.setSessions((await get(`${base}/sessions?range=${range}`)).map(session => ({
          start: Date.parse(session.start), end: session.end ? Date.parse(session.end) : null,
        })));
      }
    }
  }
  await showRange("day");

  return () => {
    stopAlerts();
    stops.forEach(stop => stop());
    charts.forEach(chart => chart.destroy());
    queue.destroy();
  };
}
