"use strict";
// Live readings: the current state from /api/devices, then every update from /api/stream (server-sent events).

const STALE_AFTER_MS = 10_000;
const METER_ROWS = [
  ["voltage_v", "Voltage", "V", 1], ["current_a", "Current", "A", 2], ["apparent_va", "Apparent", "VA", 0],
  ["reactive_var", "Reactive", "var", 0], ["power_factor", "Power factor", "", 2], ["thd_i_pct", "Current THD", "%", 1],
  ["frequency_hz", "Frequency", "Hz", 2], ["energy_kwh", "Energy", "kWh", 3],
];

const cards = new Map();
const devices = document.getElementById("devices");
const empty = document.getElementById("empty");
const connection = document.getElementById("connection");
const template = document.getElementById("device-card");

function keyOf(s) { return `${s.site}/${s.gateway}/${s.device}`; }

function format(value, digits) {
  return value === undefined ? "—" : value.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function cardFor(snapshot) {
  const key = keyOf(snapshot);
  let card = cards.get(key);
  if (!card) {
    card = template.content.firstElementChild.cloneNode(true);
    card.dataset.device = snapshot.device;
    card.dataset.kind = snapshot.kind;
    card.querySelector(".device").textContent = snapshot.device;
    card.querySelector(".kind").textContent = snapshot.kind;
    card.querySelector(".where").textContent = [snapshot.unit, snapshot.gateway, snapshot.site].filter(Boolean).join(" · ");
    cards.set(key, card);
    const sorted = [...cards.keys()].sort();
    const next = cards.get(sorted[sorted.indexOf(key) + 1]);
    devices.insertBefore(card, next && next.isConnected ? next : null);
    empty.hidden = true;
  }
  return card;
}

// Current harmonics 2..31 as bars, scaled to the largest (at least 10 %) so a small spectrum is still readable.
function renderSpectrum(svg, values) {
  const orders = [];
  for (let order = 2; order <= 31; order++) {
    if (values[`h${order}_pct`] !== undefined) orders.push(order);
  }
  const top = Math.max(10, ...orders.map(order => values[`h${order}_pct`]));
  svg.innerHTML = orders.map(order => {
    const height = (values[`h${order}_pct`] / top) * 48;
    return `<rect x="${(order - 2) * 10 + 1}" y="${48 - height}" width="8" height="${height}"><title>h${order}: ${values[`h${order}_pct`].toFixed(1)} %</title></rect>`;
  }).join("") + (orders.length ? `<text x="0" y="59">harmonics 2–31, max ${top.toFixed(0)} % of fundamental</text>` : "");
}

function render(snapshot) {
  const card = cardFor(snapshot);
  const values = snapshot.values;
  const headline = card.querySelector(".headline-value");
  if (snapshot.kind === "noise") {
    const db = values.db_a;
    headline.textContent = format(db, 1);
    headline.dataset.level = db >= 70 ? "very-loud" : db >= 60 ? "loud" : "normal";
    card.querySelector(".headline-unit").textContent = "dB(A)";
  } else {
    headline.textContent = format(values.power_w, 0);
    card.querySelector(".headline-unit").textContent = "W";
    const list = card.querySelector(".values");
    list.replaceChildren(...METER_ROWS.filter(([name]) => name in values).flatMap(([name, label, unit, digits]) => {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.dataset.value = name;
      dd.textContent = `${format(values[name], digits)} ${unit}`.trim();
      return [dt, dd];
    }));
    renderSpectrum(card.querySelector(".spectrum"), values);
  }
  card.querySelector(".seq").textContent = snapshot.seq;
  card.dataset.ts = snapshot.ts;
  refreshAge(card);
}

function refreshAge(card) {
  const ageMs = Date.now() - Date.parse(card.dataset.ts);
  card.querySelector(".age").textContent = ageMs < 2000 ? "just now" : `${Math.round(ageMs / 1000)} s ago`;
  card.dataset.stale = String(ageMs > STALE_AFTER_MS);
}

async function start() {
  try {
    const response = await fetch("api/devices");
    (await response.json()).forEach(render);
  } catch {
    // The stream below brings everything anyway.
  }
  const stream = new EventSource("api/stream");
  stream.addEventListener("open", () => { connection.dataset.state = "live"; connection.textContent = "live"; });
  stream.addEventListener("error", () => { connection.dataset.state = "lost"; connection.textContent = "reconnecting…"; });
  stream.addEventListener("reading", event => render(JSON.parse(event.data)));
  setInterval(() => cards.forEach(refreshAge), 1000);
}

start();
