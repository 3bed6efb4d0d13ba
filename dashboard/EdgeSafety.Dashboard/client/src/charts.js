// Charts: uPlot for time series (fast, small, canvas), SVG for bars and the heat map (text in every cell, so the
// figures do not depend on colour).
import uPlot from "uplot";
import { h, svg } from "./dom.js";
import { t } from "./i18n.js";
import { siteTimeZone, formatNumber } from "./time.js";

const COLOURS = ["#38bdf8", "#f59e0b", "#a78bfa", "#22c55e", "#f472b6", "#fb7185"];

/**
 * A time-series chart of the last windowMs up to now. series: [{ label, unit }]. setData(times in ms, [values per
 * series]). setSessions([{start, end}]) shades charging sessions behind the curve.
 */
export function timeChart(container, { title, series, windowMs, height = 220 }) {
  let sessions = [];
  const figure = h("figure", { class: "chart" }, h("figcaption", {}, title));
  const plotHolder = h("div", { class: "chart-plot", role: "img", "aria-label": title });
  figure.append(plotHolder);
  container.append(figure);

  const plot = new uPlot({
    width: Math.max(280, plotHolder.clientWidth || container.clientWidth || 600),
    height,
    tzDate: ts => uPlot.tzDate(new Date(ts * 1000), siteTimeZone()),
    // The whole period is shown even where it has no data yet (a new device, a quiet night).
    scales: { x: { time: true, range: () => [(Date.now() - windowMs) / 1000, Date.now() / 1000] } },
    legend: { live: false },
    axes: [
      { stroke: "#94a3b8", grid: { stroke: "#334155" } },
      ...series.map((item, index) => ({ scale: item.unit, side: index === 0 ? 3 : 1, stroke: "#94a3b8", grid: { show: index === 0, stroke: "#334155" }, label: item.unit })),
    ],
    series: [{}, ...series.map((item, index) => ({
      label: `${item.label} (${item.unit})`,
      scale: item.unit,
      stroke: COLOURS[index % COLOURS.length],
      width: 1.5,
      dash: index === 0 ? undefined : [6, 4],
      spanGaps: false,
    }))],
    hooks: {
      drawClear: [u => {
        // Charging sessions as shaded bands behind the curve, labelled so they do not rely on colour.
        const { ctx } = u;
        ctx.save();
        ctx.fillStyle = "rgba(239, 68, 68, 0.18)";
        ctx.strokeStyle = "rgba(239, 68, 68, 0.8)";
        ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui`;
        for (const session of sessions) {
          const left = u.valToPos(session.start / 1000, "x", true);
          const right = u.valToPos((session.end ?? Date.now()) / 1000, "x", true);
          const from = Math.max(left, u.bbox.left);
          const to = Math.min(right, u.bbox.left + u.bbox.width);
          if (to <= from) continue;
          ctx.fillRect(from, u.bbox.top, to - from, u.bbox.height);
          ctx.strokeRect(from, u.bbox.top, to - from, u.bbox.height);
          ctx.fillStyle = "#fecaca";
          ctx.fillText(t("chart.charging"), from + 4, u.bbox.top + 14 * devicePixelRatio);
          ctx.fillStyle = "rgba(239, 68, 68, 0.18)";
        }
        ctx.restore();
      }],
    },
  }, [[], ...series.map(() => [])], plotHolder);

  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, plotHolder.clientWidth), height }));
  resize.observe(plotHolder);

  return {
    element: figure,
    setData(times, values) {
      plot.setData([times.map(time => time / 1000), ...values]);
    },
    setSessions(list) {
      sessions = list;
      figure.dataset.sessions = String(list.length);
      plot.redraw(false);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
      figure.remove();
    },
  };
}

/** A rolling window of live points (time in ms) for a timeChart, trimmed to its window. */
export function rollingSeries(chart, count, windowMs) {
  const times = [];
  const values = Array.from({ length: count }, () => []);
  return {
    seed(seedTimes, seedValues) {
      times.splice(0, times.length, ...seedTimes);
      seedValues.forEach((list, index) => values[index].splice(0, values[index].length, ...list));
      chart.setData(times, values);
    },
    push(time, point) {
      if (times.length && time <= times[times.length - 1]) return;
      times.push(time);
      point.forEach((value, index) => values[index].push(value ?? null));
      while (times.length && times[0] < time - windowMs) {
        times.shift();
        values.forEach(list => list.shift());
      }
      chart.setData(times, values);
    },
  };
}

/** Alerts per period as labelled bars: [{ label, count }]. */
export function barChart(container, { title, bars }) {
  const width = 40 * Math.max(bars.length, 4) + 20;
  const height = 140;
  const top = Math.max(1, ...bars.map(bar => bar.count));
  const chart = svg("svg", { class: "bars", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title });
  bars.forEach((bar, index) => {
    const barHeight = (bar.count / top) * (height - 40);
    const x = 10 + index * 40;
    chart.append(
      svg("rect", { x: x + 4, y: height - 20 - barHeight, width: 28, height: barHeight, class: bar.current ? "bar current" : "bar" },
        svg("title", {}, `${bar.label}: ${bar.count}`)),
      svg("text", { x: x + 18, y: height - 24 - barHeight, "text-anchor": "middle", class: "bar-value" }, String(bar.count)),
      svg("text", { x: x + 18, y: height - 6, "text-anchor": "middle", class: "bar-label" }, bar.label));
  });
  const figure = h("figure", { class: "chart" }, h("figcaption", {}, title), chart);
  container.append(figure);
  return figure;
}

/** "+3 (+50 %)" against the previous period, with an arrow as well as a colour. */
export function changeBadge(current, previous) {
  const delta = current - previous;
  const direction = delta > 0 ? "up" : delta < 0 ? "down" : "same";
  const arrow = { up: "▲", down: "▼", same: "＝" }[direction];
  const percent = previous > 0 ? ` (${delta > 0 ? "+" : ""}${formatNumber((delta / previous) * 100, 0)} %)` : "";
  return h("span", { class: "change", dataset: { direction }, "aria-label": t(`change.${direction}`, { delta: Math.abs(delta) }) },
    `${arrow} ${delta > 0 ? "+" : ""}${delta}${percent}`);
}

/** Heat map: rows (buildings) × columns (days), each cell's count written in it. */
export function heatMap(container, { title, rows, columns, counts }) {
  const cellWidth = 58;
  const cell = 34;
  const labelWidth = 150;
  const width = labelWidth + columns.length * cellWidth;
  const height = 24 + rows.length * cell;
  const top = Math.max(1, ...counts.flat());
  const map = svg("svg", { class: "heat", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title });
  columns.forEach((column, index) => map.append(
    svg("text", { x: labelWidth + index * cellWidth + cellWidth / 2, y: 14, "text-anchor": "middle", class: "heat-label" }, column)));
  rows.forEach((row, rowIndex) => {
    const y = 24 + rowIndex * cell;
    map.append(svg("text", { x: labelWidth - 6, y: y + cell / 2 + 4, "text-anchor": "end", class: "heat-label" }, row));
    columns.forEach((column, columnIndex) => {
      const count = counts[rowIndex][columnIndex] ?? 0;
      const level = count === 0 ? 0 : Math.min(4, Math.ceil((count / top) * 4));
      map.append(
        svg("rect", { x: labelWidth + columnIndex * cellWidth + 1, y: y + 1, width: cellWidth - 2, height: cell - 2, class: `heat-cell level-${level}` },
          svg("title", {}, `${row}, ${column}: ${count}`)),
        svg("text", { x: labelWidth + columnIndex * cellWidth + cellWidth / 2, y: y + cell / 2 + 4, "text-anchor": "middle", class: "heat-count" }, count ? String(count) : ""));
    });
  });
  const figure = h("figure", { class: "chart" }, h("figcaption", {}, title), map);
  container.append(figure);
  return figure;
}
