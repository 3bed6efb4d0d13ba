// Times are shown in the site's time zone (the server names it), whatever the browser's own zone is.
import { language, t } from "./i18n.js";

let timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function setTimeZone(zone) {
  if (zone) timeZone = zone;
}

export function siteTimeZone() {
  return timeZone;
}

const cache = new Map();
function formatter(kind) {
  const key = `${language()}|${timeZone}|${kind}`;
  let format = cache.get(key);
  if (!format) {
    const options = {
      datetime: { dateStyle: "medium", timeStyle: "short" },
      time: { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" },
      day: { month: "short", day: "numeric" },
    }[kind];
    format = new Intl.DateTimeFormat(language(), { ...options, timeZone });
    cache.set(key, format);
  }
  return format;
}

const toDate = value => (value instanceof Date ? value : new Date(value));

export const formatDateTime = value => (value ? formatter("datetime").format(toDate(value)) : "—");
export const formatTime = value => (value ? formatter("time").format(toDate(value)) : "—");
export const formatDay = value => (value ? formatter("day").format(toDate(value)) : "—");

/** "45 s", "12 min", "3 h 5 min", "2 d": how long ago, for queues. */
export function formatAge(since, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - toDate(since).getTime()) / 1000));
  if (seconds < 60) return t("age.seconds", { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t("age.minutes", { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t("age.hours", { h: hours, m: minutes % 60 });
  return t("age.days", { n: Math.floor(hours / 24) });
}

export function formatNumber(value, digits = 0) {
  if (value === undefined || value === null || Number.isNaN(value)) return "—";
  return new Intl.NumberFormat(language(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}
