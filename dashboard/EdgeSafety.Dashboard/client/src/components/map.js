// The district as an SVG map: each building placed by its coordinates (no tile server, works offline), coloured by
// its state and marked with a glyph and a word as well, so colour is never the only signal. Each building is a
// button: Enter or a click selects it.
import { svg, replace } from "../dom.js";
import { t } from "../i18n.js";
import { formatNumber } from "../time.js";

const WIDTH = 1000;
const HEIGHT = 560;
const MARGIN = 120;
const GLYPH = { ok: "✓", warning: "!", critical: "‼" };

/** Places lat/lon on the canvas: equirectangular (a district is small), north up, aspect kept. */
function projection(buildings) {
  const placed = buildings.filter(b => Number.isFinite(b.latitude) && Number.isFinite(b.longitude));
  if (placed.length === 0) return () => null;
  // At least ~300 m across, so one building (or a row of them) sits in the middle instead of at an edge.
  const MIN_SPAN = 0.003;
  const latitudes = placed.map(b => b.latitude);
  const longitudes = placed.map(b => b.longitude);
  const middleLatitude = (Math.min(...latitudes) + Math.max(...latitudes)) / 2;
  const middleLongitude = (Math.min(...longitudes) + Math.max(...longitudes)) / 2;
  const cos = Math.cos((middleLatitude * Math.PI) / 180);
  const spanX = Math.max(Math.max(...longitudes) - Math.min(...longitudes), MIN_SPAN) * cos;
  const spanY = Math.max(Math.max(...latitudes) - Math.min(...latitudes), MIN_SPAN);
  const scale = Math.min((WIDTH - 2 * MARGIN) / spanX, (HEIGHT - 2 * MARGIN) / spanY);
  return building => (Number.isFinite(building.latitude) && Number.isFinite(building.longitude)
    ? { x: WIDTH / 2 + (building.longitude - middleLongitude) * cos * scale, y: HEIGHT / 2 - (building.latitude - middleLatitude) * scale }
    : null);
}

export function districtMap(container, { onSelect }) {
  const map = svg("svg", { class: "district-map", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "group", "aria-label": t("map.title") });
  container.append(map);
  let selected = null;

  function render(buildings) {
    const place = projection(buildings);
    let unplaced = 0;
    replace(map,
      svg("rect", { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: "map-ground" }),
      svg("text", { x: WIDTH - 20, y: 30, "text-anchor": "end", class: "map-north" }, t("map.north")),
      buildings.map(building => {
        const point = place(building) ?? { x: 110 + 200 * unplaced++, y: HEIGHT - 55 };
        const state = building.state ?? "ok";
        const label = t("map.building", {
          name: building.name, state: t(`buildingState.${state}`), alerts: building.openAlerts ?? 0,
          noise: building.noiseDb == null ? "—" : formatNumber(building.noiseDb, 1),
        });
        const group = svg("g", {
          class: `building state-${state}${building.id === selected ? " selected" : ""}`, tabindex: 0, role: "button",
          "aria-label": label, "aria-pressed": String(building.id === selected),
          dataset: { building: building.id, state },
          transform: `translate(${point.x.toFixed(1)} ${point.y.toFixed(1)})`,
        },
        svg("title", {}, label),
        svg("rect", { x: -95, y: -42, width: 190, height: 84, rx: 10, class: "building-shape" }),
        svg("text", { x: -83, y: -16, class: "building-glyph" }, GLYPH[state] ?? "?"),
        svg("text", { x: -60, y: -16, class: "building-name" }, building.name.length > 16 ? `${building.name.slice(0, 15)}…` : building.name),
        svg("text", { x: -83, y: 8, class: "building-alerts" }, t("map.alerts", { n: building.openAlerts ?? 0 })),
        svg("text", { x: -83, y: 30, class: "building-noise", dataset: { noise: building.id } },
          building.noiseDb == null ? t("map.noNoise") : `${formatNumber(building.noiseDb, 1)} dB(A)`));
        const choose = () => { selected = building.id; onSelect(building); render(buildings); };
        group.addEventListener("click", choose);
        group.addEventListener("keydown", event => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            choose();
            map.querySelector(`[data-building="${CSS.escape(building.id)}"]`)?.focus();
          }
        });
        return group;
      }));
  }

  return {
    render,
    /** A live noise level on the map without redrawing the rest. */
    setNoise(buildingId, db) {
      const text = map.querySelector(`[data-noise="${CSS.escape(buildingId)}"]`);
      if (text) text.textContent = `${formatNumber(db, 1)} dB(A)`;
    },
  };
}
