// A device's last hour, drawn from history and then moved on by each live reading of that device.
import { get } from "../api.js";
import { timeChart, rollingSeries } from "../charts.js";
import { onLive } from "../live.js";

const HOUR = 3600_000;

/** fields: [{ field: "power_w", label, unit }]. Returns a function that stops it. */
export async function liveDeviceChart(container, { site, device, title, fields, sessions = false }) {
  const chart = timeChart(container, { title, series: fields.map(({ label, unit }) => ({ label, unit })), windowMs: HOUR });
  chart.element.dataset.device = device;
  const series = rollingSeries(chart, fields.length, HOUR);
  const stop = onLive("reading", reading => {
    if (reading.site === site && reading.device === device) {
      series.push(Date.parse(reading.ts), fields.map(({ field }) => reading.values[field]));
    }
  });
  const base = `/api/history/${encodeURIComponent(site)}/${encodeURIComponent(device)}`;
  try {
    const history = await get(`${base}?range=hour`);
    series.seed(history.points.map(point => Date.parse(point.t)), fields.map(({ field }) => history.points.map(point => point.values[field] ?? null)));
    if (sessions) {
      chart.setSessions((await get(`${base}/sessions?range=day`)).map(session => ({
        start: Date.parse(session.start), end: session.end ? Date.parse(session.end) : null,
      })));
    }
  } catch {
    // No history yet (a new device, InfluxDB down): the live points still draw.
  }
  return () => {
    stop();
    chart.destroy();
  };
}
