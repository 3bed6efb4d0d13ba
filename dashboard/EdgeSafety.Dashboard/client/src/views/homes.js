// The landlord's phone screen: my buildings and units with their state and live power, the open alerts with one
// big acknowledge button, and the switch for phone notifications.
import { get, messageOf } from "../api.js";
import { h, replace } from "../dom.js";
import { t } from "../i18n.js";
import { coalesced, onLive } from "../live.js";
import { alertQueue } from "../components/alerts.js";
import { unitPowers } from "../components/unit-power.js";
import { pushSupported, pushSubscribed, subscribePush } from "../push.js";

export async function homesView(main) {
  const alertsPanel = h("section", { class: "panel", "aria-labelledby": "my-alerts" }, h("h2", { id: "my-alerts" }, t("homes.alerts")));
  const unitsPanel = h("section", { class: "panel", "aria-labelledby": "my-units" }, h("h2", { id: "my-units" }, t("homes.units")));
  const pushPanel = h("section", { class: "panel push" });
  main.append(h("div", { class: "homes" }, alertsPanel, unitsPanel, pushPanel));

  const [buildings, alerts] = await Promise.all([get("/api/buildings"), get("/api/alerts?open=true")]);
  const queue = alertQueue(alertsPanel, { compact: true, emptyText: t("homes.noAlerts") });
  queue.setAll(alerts);

  const powers = unitPowers();
  function renderUnits(list) {
    powers.clear();
    replace(unitsPanel, h("h2", { id: "my-units" }, t("homes.units")), list.length === 0 ? h("p", { class: "empty" }, t("homes.noUnits")) : null,
      list.map(building => h("div", { class: "building-card", dataset: { building: building.id } },
        h("h3", {}, building.name),
        h("ul", { class: "unit-cards" }, (building.units ?? []).map(unit => {
          return h("li", {},
            h("a", { class: `unit-card state-${unit.state}`, href: `#/unit/${encodeURIComponent(unit.id)}`, dataset: { unit: unit.id, state: unit.state } },
              h("span", { class: "unit-name" }, unit.name),
              h("span", { class: "state-word" }, t(`buildingState.${unit.state}`)),
              powers.element(unit)));
        })))));
  }
  renderUnits(buildings);
  // A room's state follows its alerts: reloaded once per burst of alert events.
  const refreshUnits = coalesced(async () => renderUnits(await get("/api/buildings")));

  renderPush(pushPanel);

  const stops = [
    onLive("alert", alert => {
      queue.update(alert);
      refreshUnits();
    }),
    onLive("reading", reading => {
      powers.update(reading);
    }),
  ];
  return () => {
    stops.forEach(stop => stop());
    refreshUnits.cancel();
    queue.destroy();
  };
}

async function renderPush(panel) {
  if (!pushSupported()) {
    replace(panel, h("p", { class: "muted" }, t("push.unsupported")));
    return;
  }
  const status = h("p", { role: "status", class: "action-status" });
  if (await pushSubscribed()) {
    replace(panel, h("p", {}, t("push.on")));
    return;
  }
  const button = h("button", { class: "primary big" }, t("push.enable"));
  button.addEventListener("click", async () => {
    try {
      await subscribePush();
      replace(panel, h("p", {}, t("push.on")));
    } catch (error) {
      replace(status, error.message === "permission" ? t("push.denied") : messageOf(error));
    }
  });
  replace(panel, h("h2", {}, t("push.title")), h("p", { class: "muted" }, t("push.why")), button, status);
}
