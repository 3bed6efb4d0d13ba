// One device's live values: the headline (power or sound level), the meter's other figures, its current
// harmonics as bars, and whether it answers. Updated in place by each reading.
import { h, svg, replace } from "../dom.js";
import { t } from "../i18n.js";
import { formatNumber, formatTime } from "../time.js";

const METER_ROWS = [
  ["voltage_v", "V", 1], ["current_a", "A", 2], ["apparent_va", "VA", 0], ["reactive_var", "var", 0],
  ["power_factor", "", 2], ["thd_i_pct", "%", 1], ["frequency_hz", "Hz", 2], ["energy_kwh", "kWh", 3],
];

export function deviceCard(device) {
  const headline = h("span", { class: "headline-value" });
  const headlineUnit = h("span", { class: "headline-unit" });
  const values = h("dl", { class: "values" });
  const spectrum = svg("svg", { class: "spectrum", viewBox: "0 0 300 60", preserveAspectRatio: "none", role: "img", "aria-label": t("device.harmonics") });
  const answering = h("span", { class: "answering" });
  const seen = h("span", { class: "seen" });
  const extra = h("div", { class: "device-extra" });
  const card = h("article", { class: "card", dataset: { device: device.device, kind: device.kind } },
    h("header", {}, h("h3", { class: "device" }, device.device), h("span", { class: "kind" }, t(`kind.device.${device.kind}`))),
    h("p", { class: "where" }, [device.profile, device.unit ?? device.building].filter(Boolean).join(" · ")),
    h("div", { class: "headline" }, headline, headlineUnit),
    values, device.kind === "noise" ? null : spectrum,
    h("footer", {}, answering, " · ", seen),
    extra);

  function setAnswering(state) {
    const word = state === true ? "yes" : state === false ? "no" : "unknown";
    card.dataset.answering = word;
    answering.textContent = t(`device.answering.${word}`);
  }

  function update(reading) {
    const readingValues = reading.values ?? {};
    if (device.kind === "noise") {
      const db = readingValues.db_a;
      headline.textContent = formatNumber(db, 1);
      headline.dataset.level = db >= 70 ? "very-loud" : db >= 60 ? "loud" : "normal";
      headlineUnit.textContent = "dB(A)";
    } else {
      headline.textContent = formatNumber(readingValues.power_w, 0);
      headlineUnit.textContent = "W";
      replace(values, METER_ROWS.filter(([name]) => name in readingValues).flatMap(([name, unit, digits]) => [
        h("dt", {}, t(`field.${name}`)),
        h("dd", { dataset: { value: name } }, `${formatNumber(readingValues[name], digits)} ${unit}`.trim()),
      ]));
      renderSpectrum(spectrum, readingValues);
    }
    if (reading.ts) seen.textContent = t("device.seen", { at: formatTime(reading.ts) });
  }

  setAnswering(device.answering);
  if (device.values) update(device);
  return { element: card, extra, update, setAnswering };
}

// Current harmonics 2..31 as bars, scaled to the largest (at least 10 %) so a small spectrum is still readable.
function renderSpectrum(chart, values) {
  const orders = [];
  for (let order = 2; order <= 31; order++) {
    if (values[`h${order}_pct`] !== undefined) orders.push(order);
  }
  const top = Math.max(10, ...orders.map(order => values[`h${order}_pct`]));
  replace(chart, orders.map(order => {
    const height = (values[`h${order}_pct`] / top) * 48;
    return svg("rect", { x: (order - 2) * 10 + 1, y: 48 - height, width: 8, height },
      svg("title", {}, `h${order}: ${values[`h${order}_pct`].toFixed(1)} %`));
  }), orders.length ? svg("text", { x: 0, y: 59 }, t("device.spectrum", { max: top.toFixed(0) })) : null);
}
