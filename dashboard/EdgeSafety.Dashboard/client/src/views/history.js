// Alert history: every alert in the user's scope, newest first, with when it was raised, acknowledged and closed
// and the feedback it was closed with.
import { get } from "../api.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { formatDateTime } from "../time.js";
import { severityGlyph } from "../components/alerts.js";

export async function historyView(main) {
  const alerts = await get("/api/alerts?open=false&limit=200");
  main.append(h("section", { class: "panel history", "aria-labelledby": "history-title" },
    h("h2", { id: "history-title" }, t("history.title")),
    alerts.length === 0 ? h("p", { class: "empty" }, t("history.none")) : h("ul", { class: "history-list" }, alerts.map(alert =>
      h("li", { dataset: { alertId: alert.id, state: alert.state } },
        h("div", { class: "alert-head" },
          h("span", { class: "severity" }, severityGlyph(alert.severity), " ", t(`severity.${alert.severity}`)),
          h("strong", {}, t(`kind.${alert.kind}`)),
          h("span", { class: "state", dataset: { state: alert.state } }, t(`state.${alert.state}`))),
        h("p", { class: "where" }, [alert.buildingName ?? alert.building, alert.unitName ?? alert.unit].filter(Boolean).join(" · ")),
        h("dl", { class: "times" },
          h("dt", {}, t("history.raised")), h("dd", {}, formatDateTime(alert.raisedAt)),
          h("dt", {}, t("history.acknowledged")), h("dd", {}, formatDateTime(alert.acknowledgedAt)),
          h("dt", {}, t("history.closed")), h("dd", {}, formatDateTime(alert.closedAt))),
        alert.feedback ? h("p", { class: "feedback" }, t("history.feedback", { feedback: alert.feedback })) : null)))));
  return null;
}
