// The audit log, for admins: the latest entries, newest first (who did what to what, from where), and whether the
// hash chain that links every entry to the one before is whole (docs/dashboard.md, "Audit log").
import { get } from "../api.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { formatDateTime } from "../time.js";

const SHOWN = 200;

export async function auditView(main) {
  const verdict = await get("/api/audit/verify");
  // Entries are read oldest first after an id: start where the latest SHOWN begin.
  const entries = (await get(`/api/audit?after=${Math.max(0, verdict.entries - SHOWN)}&limit=${SHOWN}`)).reverse();
  main.append(h("section", { class: "panel audit", "aria-labelledby": "audit-title" },
    h("h2", { id: "audit-title" }, t("audit.title")),
    h("p", { class: `audit-verdict ${verdict.ok ? "ok" : "failed"}`, dataset: { ok: String(verdict.ok) } },
      verdict.ok ? `✓ ${t("audit.intact", { n: verdict.entries })}` : `✗ ${t("audit.broken", { id: verdict.brokenAt })}`),
    entries.length === 0 ? h("p", { class: "empty" }, t("audit.none")) : h("div", { class: "table-scroll" }, h("table", { class: "audit-log" },
      h("thead", {}, h("tr", {}, ["audit.at", "audit.actor", "audit.action", "audit.target", "audit.detail", "audit.address"].map(key => h("th", { scope: "col" }, t(key))))),
      h("tbody", {}, entries.map(entry => h("tr", { dataset: { id: entry.id, action: entry.action } },
        h("td", {}, formatDateTime(entry.at)), h("td", {}, entry.actor), h("td", {}, entry.action),
        h("td", {}, entry.target ?? ""), h("td", {}, entry.detail ?? ""), h("td", {}, entry.address ?? ""))))))));
  return null;
}
