// Reports: alerts per period (day, week, month) with the change against the previous period, and a heat map of
// alerts by building over the last days. All from the server's alert reports, scoped to the user's buildings.
import { get } from "../api.js";
import { h, replace } from "../dom.js";
import { t } from "../i18n.js";
import { barChart, changeBadge, heatMap } from "../charts.js";
import { formatDay, formatNumber, siteTimeZone } from "../time.js";

const PERIODS = ["day", "week", "month"];
const BARS = 6;
const HEAT_DAYS = 7;
const DAY = 86_400_000;

/** The date (yyyy-mm-dd) in the site's zone of a moment, as the report API takes it. */
function siteDate(moment) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: siteTimeZone(), year: "numeric", month: "2-digit", day: "2-digit" }).format(moment);
}

function periodStart(period, index) {
  const now = new Date();
  if (period === "day") return new Date(now.getTime() - index * DAY);
  if (period === "week") return new Date(now.getTime() - index * 7 * DAY);
  return new Date(now.getFullYear(), now.getMonth() - index, 15);
}

const report = (period, moment) => get(`/api/reports?period=${period}&at=${siteDate(moment)}`);

export async function reportsView(main) {
  const periodsPanel = h("section", { class: "panel", "aria-labelledby": "per-period" }, h("h2", { id: "per-period" }, t("reports.perPeriod")));
  const heatPanel = h("section", { class: "panel", "aria-labelledby": "heat-title" }, h("h2", { id: "heat-title" }, t("reports.heat")));
  main.append(h("div", { class: "reports" }, periodsPanel, heatPanel));

  const switcher = h("div", { class: "ranges", role: "group", "aria-label": t("reports.period") });
  const body = h("div", {});
  periodsPanel.append(switcher, body);
  async function showPeriod(period) {
    replace(switcher, PERIODS.map(name => h("button", { "aria-pressed": String(name === period), onclick: () => showPeriod(name) }, t(`period.${name}`))));
    const reports = await Promise.all(Array.from({ length: BARS }, (_, index) => report(period, periodStart(period, BARS - 1 - index))));
    const latest = reports[reports.length - 1];
    replace(body,
      h("p", { class: "summary", dataset: { total: latest.total } },
        t("reports.thisPeriod", { count: latest.total, period: t(`period.${period}`) }), " ", changeBadge(latest.total, latest.previousTotal), " ",
        h("span", { class: "muted" }, t("reports.previous", { count: latest.previousTotal }))),
      latest.medianMinutesToAcknowledge == null ? null : h("p", { class: "muted" }, t("reports.medians", {
        ack: formatNumber(latest.medianMinutesToAcknowledge, 0),
        close: latest.medianMinutesToClose == null ? "—" : formatNumber(latest.medianMinutesToClose, 0),
      })));
    barChart(body, {
      title: t("reports.barsTitle", { period: t(`period.${period}`) }),
      bars: reports.map((item, index) => ({ label: formatDay(item.from), count: item.total, current: index === reports.length - 1 })),
    });
  }

  await Promise.all([showPeriod("week"), showHeat(heatPanel)]);
  return null;
}

async function showHeat(panel) {
  const days = Array.from({ length: HEAT_DAYS }, (_, index) => new Date(Date.now() - (HEAT_DAYS - 1 - index) * DAY));
  const [buildings, reports] = await Promise.all([get("/api/buildings"), Promise.all(days.map(day => report("day", day)))]);
  const names = new Map(buildings.map(building => [building.id, building.name]));
  const ids = [...new Set([...buildings.map(building => building.id), ...reports.flatMap(item => item.rows.map(row => row.building).filter(Boolean))])];
  const counts = ids.map(id => reports.map(item => item.rows.filter(row => row.building === id).reduce((sum, row) => sum + row.count, 0)));
  if (ids.length === 0) {
    panel.append(h("p", { class: "empty" }, t("reports.noBuildings")));
    return;
  }
  heatMap(panel, { title: t("reports.heat"), rows: ids.map(id => names.get(id) ?? id), columns: days.map(formatDay), counts });
}
