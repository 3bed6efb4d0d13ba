// Every visible string comes from a message catalogue. The language is the one the user picked (remembered in this
// browser), else the browser's first language we have, else English.
import en from "./messages/en.js";
import zhCN from "./messages/zh-CN.js";

export const LANGUAGES = { en: { name: "English", messages: en }, "zh-CN": { name: "中文", messages: zhCN } };
const STORAGE_KEY = "edgesafety.language";
const listeners = new Set();
let current = pick();

function pick() {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && stored in LANGUAGES) return stored;
  for (const language of navigator.languages ?? [navigator.language]) {
    if (/^zh\b/i.test(language)) return "zh-CN";
    if (/^en\b/i.test(language)) return "en";
  }
  return "en";
}

export function language() {
  return current;
}

export function setLanguage(code) {
  if (!(code in LANGUAGES) || code === current) return;
  current = code;
  localStorage.setItem(STORAGE_KEY, code);
  document.documentElement.lang = code;
  listeners.forEach(listener => listener(code));
}

export function onLanguageChange(listener) {
  listeners.add(listener);
}

/** The message for key in the current language, with {name} placeholders filled from params. */
export function t(key, params = {}) {
  const message = LANGUAGES[current].messages[key] ?? LANGUAGES.en.messages[key];
  if (message === undefined) {
    console.warn(`missing message ${key}`);
    return key;
  }
  return message.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** The message if the catalogue has one, else the fallback: for names that come from configuration, such as a gateway's recorded warnings. */
export function tOr(key, fallback) {
  return key in LANGUAGES[current].messages || key in LANGUAGES.en.messages ? t(key) : fallback;
}

/** Fills [data-i18n] (text), [data-i18n-label] (aria-label) and [data-i18n-placeholder] of a static subtree. */
export function translate(root) {
  root.querySelectorAll("[data-i18n]").forEach(element => { element.textContent = t(element.dataset.i18n); });
  root.querySelectorAll("[data-i18n-label]").forEach(element => element.setAttribute("aria-label", t(element.dataset.i18nLabel)));
  root.querySelectorAll("[data-i18n-placeholder]").forEach(element => element.setAttribute("placeholder", t(element.dataset.i18nPlaceholder)));
}

document.documentElement.lang = current;
