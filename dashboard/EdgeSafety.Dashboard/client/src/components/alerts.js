// The alert queue: one row per alert with its age, owner and state, and the actions its state allows
// (docs/alerts.md lifecycle). Rows update in place as `alert` events arrive; closed alerts leave the queue.
import { post, messageOf } from "../api.js";
import { h, replace } from "../dom.js";
import { t } from "../i18n.js";
import { formatAge, formatDateTime } from "../time.js";

const CAN_ACKNOWLEDGE = ["Raised", "Notified"];
const CAN_DISPATCH = ["Raised", "Notified", "Acknowledged"];
const CAN_RESOLVE = ["Acknowledged", "Dispatched"];
const CAN_CLOSE = ["Resolved"];

export function severityGlyph(severity) {
  return severity === "Critical" ? "‼" : "!";
}

/**
 * container: where the list goes. options.wardens: people to dispatch to (wardens only); options.compact: the
 * landlord's phone layout (acknowledge only, big button).
 */
export function alertQueue(container, { wardens = null, compact = false, emptyText }) {
  const rows = new Map();
  const list = h("ul", { class: compact ? "alerts compact" : "alerts", "aria-live": "polite" });
  const empty = h("p", { class: "empty" }, emptyText);
  container.append(empty, list);

  function sortRows() {
    // Critical first, then oldest first: what has waited longest is handled first.
    const ordered = [...rows.values()].sort((a, b) =>
      (a.alert.severity === "Critical" ? 0 : 1) - (b.alert.severity === "Critical" ? 0 : 1) || Date.parse(a.alert.raisedAt) - Date.parse(b.alert.raisedAt));
    list.replaceChildren(...ordered.map(row => row.element));
    empty.hidden = rows.size > 0;
  }

  function act(alert, action, body, status) {
    replace(status, t("alert.working"));
    post(`/api/alerts/${alert.id}/${action}`, body)
      .then(() => replace(status, t(`alert.done.${action}`)))
      .catch(error => replace(status, messageOf(error)));
  }

  function render(alert) {
    const status = h("p", { class: "action-status", role: "status" });
    const actions = h("div", { class: "actions" });
    if (CAN_ACKNOWLEDGE.includes(alert.state)) {
      actions.append(h("button", { class: "primary", dataset: { action: "acknowledge" }, onclick: () => act(alert, "acknowledge", {}, status) }, t("alert.acknowledge")));
    }
    if (wardens && CAN_DISPATCH.includes(alert.state)) {
      const picker = h("select", { "aria-label": t("alert.dispatchTo"), dataset: { field: "warden" } },
        h("option", { value: "" }, t("alert.nearestWarden")),
        wardens.map(warden => h("option", { value: warden.id }, warden.name)));
      actions.append(h("span", { class: "inline" }, picker,
        h("button", { dataset: { action: "dispatch" }, onclick: () => act(alert, "dispatch", picker.value ? { warden: picker.value } : {}, status) }, t("alert.dispatch"))));
    }
    if (CAN_RESOLVE.includes(alert.state)) {
      const feedback = h("input", { "aria-label": t("alert.feedback"), placeholder: t("alert.feedback"), required: true, dataset: { field: "feedback" } });
      actions.append(h("form", { class: "inline", onsubmit: event => { event.preventDefault(); act(alert, "resolve", { feedback: feedback.value }, status); } },
        feedback, h("button", { type: "submit", dataset: { action: "resolve" } }, t("alert.resolve"))));
    }
    if (!compact && CAN_CLOSE.includes(alert.state)) {
      actions.append(h("button", { dataset: { action: "close" }, onclick: () => act(alert, "close", {}, status) }, t("alert.close")));
    }
    const where = [alert.buildingName ?? alert.building, alert.unitName ?? alert.unit].filter(Boolean).join(" · ");
    return h("li", { class: "alert", dataset: { alertId: alert.id, state: alert.state, severity: alert.severity, unit: alert.unit ?? "" } },
      h("div", { class: "alert-head" },
        h("span", { class: "severity", "aria-label": t(`severity.${alert.severity}`) }, severityGlyph(alert.severity), " ", t(`severity.${alert.severity}`)),
        h("strong", { class: "kind" }, t(`kind.${alert.kind}`)),
        h("span", { class: "state", dataset: { state: alert.state } }, t(`state.${alert.state}`))),
      h("p", { class: "where" }, where || alert.device || ""),
      h("p", { class: "meta" },
        h("span", {}, t("alert.age"), " ", h("span", { class: "age", dataset: { since: alert.raisedAt } }, formatAge(alert.raisedAt))),
        alert.owner ? h("span", { class: "owner" }, t("alert.owner", { owner: nameOf(alert.owner) })) : h("span", { class: "owner muted" }, t("alert.noOwner")),
        alert.clearedAt ? h("span", { class: "cleared" }, t("alert.cleared", { at: formatDateTime(alert.clearedAt) })) : null,
        alert.flaggedForEnforcement ? h("span", { class: "flag" }, t("alert.flagged")) : null),
      actions, status);
  }

  function nameOf(person) {
    return wardens?.find(warden => warden.id === person)?.name ?? person;
  }

  const tick = setInterval(() => list.querySelectorAll(".age").forEach(age => { age.textContent = formatAge(age.dataset.since); }), 1000);

  return {
    setAll(alerts) {
      rows.clear();
      alerts.filter(alert => alert.state !== "Closed").forEach(alert => rows.set(alert.id, { alert, element: render(alert) }));
      sortRows();
    },
    update(alert) {
      if (alert.state === "Closed") {
        rows.delete(alert.id);
      } else {
        rows.set(alert.id, { alert, element: render(alert) });
      }
      sortRows();
    },
    destroy() {
      clearInterval(tick);
    },
  };
}
