import { t } from "./i18n.js";

// The dashboard's HTTP API (docs/dashboard.md). Every state-changing call carries the session's CSRF token; a 401
// sends the user back to the sign-in page.

let csrfToken = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function setCsrfToken(token) {
  csrfToken = token;
}

export function whenSignedOut(callback) {
  onSignedOut = callback;
}

export async function request(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    if (csrfToken) headers["X-CSRF-TOKEN"] = csrfToken;
  }
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && !path.endsWith("/signin")) {
    onSignedOut();
  }
  const text = await response.text();
  const data = text ? parseJson(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, (data && (data.message || data.detail || data.title || data.error)) || `${response.status} ${response.statusText}`);
  }
  return data;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
}

export const get = path => request("GET", path);
export const post = (path, body = {}) => request("POST", path, body);
export const put = (path, body = {}) => request("PUT", path, body);

/** What to tell the user about a failed call: our own words for the common cases, else the server's message. */
export function messageOf(error) {
  if (error instanceof ApiError && error.status === 404) return t("error.notFound");
  if (error instanceof ApiError && error.status === 403) return t("error.forbidden");
  return error instanceof ApiError ? error.message : t("error.network");
}
