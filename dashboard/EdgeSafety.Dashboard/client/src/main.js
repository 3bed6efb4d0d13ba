// The dashboard's one page: sign-in, then the views of the signed-in role, chosen by the address's hash
// (#/district, #/unit/room-301, ...) so every screen has its own bookmarkable address and the back button works.
import { get, post, setCsrfToken, whenSignedOut, messageOf } from "./api.js";
import { h, replace } from "./dom.js";
import { LANGUAGES, language, setLanguage, onLanguageChange, t, translate } from "./i18n.js";
import { connectLive, disconnectLive, onLiveState } from "./live.js";
import { setTimeZone } from "./time.js";
import { signInView } from "./views/signin.js";
import { districtView } from "./views/district.js";
import { homesView } from "./views/homes.js";
import { unitView } from "./views/unit.js";
import { installerView } from "./views/installer.js";
import { reportsView } from "./views/reports.js";
import { historyView } from "./views/history.js";
import { auditView } from "./views/audit.js";

const main = document.getElementById("view");
const nav = document.getElementById("nav");
const userBadge = document.getElementById("user");
const signOutButton = document.getElementById("sign-out");
const connection = document.getElementById("connection");
const languagePicker = document.getElementById("language");

// Which screens each role has, in menu order; the first is where the role lands.
const ROUTES = {
  district: { view: districtView, roles: ["warden", "admin"], menu: "nav.district" },
  homes: { view: homesView, roles: ["landlord"], menu: "nav.homes" },
  history: { view: historyView, roles: ["landlord", "warden", "admin"], menu: "nav.history" },
  install: { view: installerView, roles: ["installer", "admin"], menu: "nav.install" },
  reports: { view: reportsView, roles: ["warden", "admin", "landlord"], menu: "nav.reports" },
  unit: { view: unitView, roles: ["warden", "admin", "landlord"] },
  audit: { view: auditView, roles: ["admin"], menu: "nav.audit" },
};

let user = null;
let teardown = null;
let renders = 0;

async function refreshCsrf() {
  const answer = await get("/api/auth/csrf");
  setCsrfToken(answer.token);
}

function routesOf(role) {
  return Object.entries(ROUTES).filter(([, route]) => route.roles.includes(role));
}

function renderChrome() {
  document.title = t("app.title");
  replace(languagePicker, ...Object.entries(LANGUAGES).map(([code, { name }]) =>
    h("option", { value: code, selected: code === language() }, name)));
  translate(document);
  signOutButton.hidden = !user;
  replace(userBadge, user ? `${user.displayName ?? user.name} · ${t(`role.${user.role}`)}` : "");
  const current = location.hash.split("/")[1];
  replace(nav, user ? routesOf(user.role).filter(([, route]) => route.menu).map(([name, route]) =>
    h("a", { href: `#/${name}`, "aria-current": name === current ? "page" : undefined }, t(route.menu))) : []);
}

async function render() {
  teardown?.();
  teardown = null;
  renderChrome();
  if (!user) {
    teardown = signInView(main, signedIn);
    return;
  }
  const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  const allowed = routesOf(user.role);
  const route = allowed.find(([routeName]) => routeName === name);
  if (!route) {
    location.replace(`#/${allowed[0][0]}`);
    return;
  }
  // Each screen draws into its own holder: a screen still loading when the user moves on draws into a detached
  // holder and is stopped as soon as it returns, never mixing with the next one.
  const generation = ++renders;
  const holder = h("div", { class: "screen", dataset: { screen: name } });
  replace(main, holder);
  let stop = null;
  try {
    stop = await route[1].view(holder, { user, params: rest });
  } catch (error) {
    replace(holder, h("p", { class: "error", role: "alert" }, messageOf(error)));
  }
  if (generation !== renders) {
    stop?.();
    return;
  }
  teardown = stop;
  main.focus({ preventScroll: true });
}

async function signedIn() {
  // The antiforgery token is bound to the user: a new one after signing in, then the full account (time zone).
  await refreshCsrf();
  user = await get("/api/auth/me");
  setTimeZone(user.timeZone);
  connectLive("/api/live");
  render();
}

async function signOut() {
  try {
    await post("/api/auth/sign-out");
  } finally {
    user = null;
    disconnectLive();
    await refreshCsrf();
    location.hash = "";
    render();
  }
}

whenSignedOut(() => {
  if (!user) return;
  user = null;
  disconnectLive();
  refreshCsrf().then(render);
});

onLiveState(state => {
  connection.dataset.state = state;
  connection.textContent = t(`live.${state}`);
});

languagePicker.addEventListener("change", () => setLanguage(languagePicker.value));
onLanguageChange(() => {
  connection.textContent = t(`live.${connection.dataset.state}`);
  render();
});
signOutButton.addEventListener("click", signOut);
window.addEventListener("hashchange", render);

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("sw.js").catch(() => {});
}

async function boot() {
  try {
    await refreshCsrf();
  } catch {
    // Offline (the installed app opened from its cached shell) or the server is down.
    replace(main, h("p", { class: "error", role: "alert" }, t("error.network")));
    return;
  }
  try {
    await signedIn();
  } catch {
    render();
  }
}

boot();
