// Each room's current power where the room is listed, moved on by every reading of its meter.
import { h } from "../dom.js";
import { formatNumber } from "../time.js";

const watts = value => (value == null ? "—" : `${formatNumber(value, 0)} W`);

export function unitPowers() {
  const shown = new Map();
  return {
    clear() {
      shown.clear();
    },
    element(unit) {
      const power = h("span", { class: "power" }, watts(unit.powerW));
      shown.set(unit.id, power);
      return power;
    },
    update(reading) {
      const power = reading.unit && shown.get(reading.unit);
      if (power && reading.values.power_w !== undefined) power.textContent = watts(reading.values.power_w);
    },
  };
}
