// The installer's commissioning screen: the sites and gateways assigned to them; for the chosen gateway each device
// with its live values and whether it answers, assigning a device to a unit, a noise sensor's zone class, and the
// end-to-end check with each step's result, and a one-time code to enrol the gateway on site (docs/security.md).
import { get, post, put, messageOf } from "../api.js";
import { h, replace } from "../dom.js";
import { t } from "../i18n.js";
import { onLive } from "../live.js";
import { formatDateTime, formatNumber } from "../time.js";
import { deviceCard } from "../components/device-card.js";

export async function installerView(main, { params }) {
  const sites = await get("/api/sites");
  const sitesPanel = h("nav", { class: "panel sites", "aria-labelledby": "sites-title" }, h("h2", { id: "sites-title" }, t("install.sites")));
  const gatewayPanel = h("section", { class: "panel gateway-panel", "aria-live": "polite" });
  main.append(h("div", { class: "installer" }, sitesPanel, gatewayPanel));

  const [siteParam, gatewayParam] = params;
  const gatewayLink = (site, gateway) => h("li", {},
    h("a", {
      href: `#/install/${encodeURIComponent(site.id)}/${encodeURIComponent(gateway.gateway)}`, class: "gateway-link",
      "aria-current": site.id === siteParam && gateway.gateway === gatewayParam ? "page" : undefined,
      dataset: { gateway: gateway.gateway, status: gateway.status },
    }, gateway.gateway, " ", h("span", { class: `status status-${gateway.status}` }, t(`gatewayStatus.${gateway.status}`))));
  sitesPanel.append(sites.length === 0
    ? h("p", { class: "empty" }, t("install.noSites"))
    : h("ul", { class: "site-list" }, sites.map(site =>
      h("li", {}, h("h3", {}, site.name ?? site.id), h("ul", {}, site.gateways.map(gateway => gatewayLink(site, gateway)))))));

  const first = sites.find(site => site.gateways.length);
  if (!gatewayParam && first) {
    location.replace(`#/install/${encodeURIComponent(first.id)}/${encodeURIComponent(first.gateways[0].gateway)}`);
    return null;
  }
  if (!gatewayParam) {
    gatewayPanel.append(h("p", { class: "empty" }, t("install.noGateways")));
    return null;
  }
  return showGateway(gatewayPanel, siteParam, gatewayParam);
}

async function showGateway(panel, site, gatewayId) {
  const gateway = await get(`/api/gateways/${encodeURIComponent(site)}/${encodeURIComponent(gatewayId)}`);
  const status = h("span", { class: `status status-${gateway.status}`, dataset: { status: gateway.status } }, t(`gatewayStatus.${gateway.status}`));
  const checkResult = h("div", { class: "check-result", "aria-live": "polite" });
  const checkButton = h("button", { class: "primary", id: "run-check" }, t("install.check"));
  checkButton.addEventListener("click", () => runCheck(site, gatewayId, checkButton, checkResult));
  const enrolmentResult = h("div", { class: "enrolment-result", "aria-live": "polite" });
  const enrolmentButton = h("button", { id: "enrolment-code" }, t("install.enrolmentCode"));
  enrolmentButton.addEventListener("click", () => issueEnrolmentCode(site, gatewayId, enrolmentButton, enrolmentResult));
  const devices = h("div", { class: "devices" });
  const units = h("datalist", { id: "known-units" });
  replace(panel,
    h("header", { class: "gateway-head" }, h("h2", {}, t("install.gateway", { gateway: gatewayId })), status,
      h("span", { class: "muted" }, gateway.statusAt ? t("install.since", { at: formatDateTime(gateway.statusAt) }) : "")),
    h("div", { class: "check" }, checkButton, checkResult),
    h("div", { class: "check" }, enrolmentButton, enrolmentResult),
    h("h3", {}, t("install.devices")), units, devices);
  const known = new Set(gateway.devices.flatMap(device => [device.unit, device.building]).filter(Boolean));
  replace(units, [...known].sort().map(id => h("option", { value: id })));

  const cards = new Map();
  for (const device of gateway.devices) {
    const card = deviceCard({ ...device, site });
    card.extra.append(assignForm(site, device));
    if (device.kind === "noise" || device.noiseZone) card.extra.append(zoneForm(site, device, gateway.zoneClasses));
    cards.set(device.device, card);
    devices.append(card.element);
  }
  if (!gateway.devices.length) devices.append(h("p", { class: "empty" }, t("install.noDevices")));

  const stops = [
    onLive("reading", reading => {
      if (reading.site !== site || reading.gateway !== gatewayId) return;
      const card = cards.get(reading.device);
      card?.update(reading);
      card?.setAnswering(true);
    }),
    onLive("device", event => {
      if (event.site === site && event.gateway === gatewayId) cards.get(event.device)?.setAnswering(event.answering);
    }),
    onLive("gateway", event => {
      if (event.site === site && event.gateway === gatewayId) {
        status.dataset.status = event.status;
        status.className = `status status-${event.status}`;
        status.textContent = t(`gatewayStatus.${event.status}`);
      }
    }),
  ];
  return () => stops.forEach(stop => stop());
}

function assignForm(site, device) {
  const id = `assign-${device.device}`;
  const input = h("input", { id, list: "known-units", value: device.unit ?? "", placeholder: "room-301", dataset: { field: "unit" } });
  const result = h("p", { role: "status", class: "action-status" });
  const form = h("form", { class: "inline assign", dataset: { assign: device.device } },
    h("label", { for: id }, t("install.assignTo")), input, h("button", { type: "submit" }, t("install.assign")), result);
  form.addEventListener("submit", async event => {
    event.preventDefault();
    replace(result, t("alert.working"));
    try {
      await put(`/api/devices/${encodeURIComponent(site)}/${encodeURIComponent(device.device)}/assignment`, { unit: input.value.trim() });
      replace(result, t("install.assigned", { unit: input.value.trim() }));
    } catch (error) {
      replace(result, messageOf(error));
    }
  });
  return form;
}

// The zone class set here wins over ingest's noise settings for this sensor; "" returns it to the settings.
function zoneForm(site, device, zones) {
  const id = `zone-${device.device}`;
  const select = h("select", { id, dataset: { field: "zone" } },
    h("option", { value: "", selected: !device.noiseZone }, t("install.zoneFromSettings")),
    zones.map(zone => h("option", { value: zone, selected: zone === device.noiseZone }, t("install.zoneClass", { zone }))));
  const result = h("p", { role: "status", class: "action-status" });
  const form = h("form", { class: "inline zone" }, h("label", { for: id }, t("install.zone")), select, h("button", { type: "submit" }, t("install.setZone")), result);
  form.addEventListener("submit", async event => {
    event.preventDefault();
    replace(result, t("alert.working"));
    try {
      const saved = await put(`/api/devices/${encodeURIComponent(site)}/${encodeURIComponent(device.device)}/zone`, { zone: select.value || null });
      replace(result, saved.zone ? t("install.zoneSet", { zone: saved.zone }) : t("install.zoneCleared"));
    } catch (error) {
      replace(result, messageOf(error));
    }
  });
  return form;
}

async function runCheck(site, gateway, button, holder) {
  button.disabled = true;
  replace(holder, h("p", {}, t("install.checking")));
  try {
    const check = await post(`/api/gateways/${encodeURIComponent(site)}/${encodeURIComponent(gateway)}/check`);
    replace(holder,
      h("p", { class: `check-verdict ${check.ok ? "ok" : "failed"}`, dataset: { ok: String(check.ok) } }, check.ok ? `✓ ${t("install.checkOk")}` : `✗ ${t("install.checkFailed")}`),
      h("ol", { class: "steps" }, check.steps.map(step => h("li", { dataset: { step: step.name, ok: String(step.ok) } },
        h("span", { class: "step-mark" }, step.ok ? "✓" : "✗"), " ",
        h("strong", {}, t(`check.${step.name}`)), " ",
        h("span", { class: "muted" }, [step.detail, step.ms == null ? null : `${formatNumber(step.ms, 1)} ms`].filter(Boolean).join(" · "))))));
  } catch (error) {
    replace(holder, h("p", { class: "error" }, messageOf(error)));
  } finally {
    button.disabled = false;
  }
}

// The code is shown once: the dashboard keeps only its hash, and a new code cancels the previous one.
async function issueEnrolmentCode(site, gateway, button, holder) {
  button.disabled = true;
  try {
    const issued = await post(`/api/sites/${encodeURIComponent(site)}/gateways/${encodeURIComponent(gateway)}/enrolment-code`);
    replace(holder,
      h("p", {}, t("install.enrolmentIssued", { at: formatDateTime(issued.expiresAt) }), " ", h("code", { class: "enrolment-code" }, issued.code)),
      h("p", { class: "muted" }, t("install.enrolmentHow"), " ",
        h("code", {}, `EdgeSafety.EdgeAgent enrol --server ${location.origin} --code ${issued.code} --ca ca.pem`)));
  } catch (error) {
    replace(holder, h("p", { class: "error" }, messageOf(error)));
  } finally {
    button.disabled = false;
  }
}
