"use strict";
// The dashboard's service worker: shows alert pushes (payload of libs/EdgeSafety.Notifications WebPush: notificationId,
// alertId, kind, severity, state, title, body, url), opens the app on a tap, and keeps the app shell so the installed
// app opens without a network. API calls are never cached: what the page shows is live or an error, never stale.

const SHELL_CACHE = "edgesafety-shell-v1";
const SHELL = ["./", "index.html", "dist/app.js", "dist/styles.css", "favicon.svg", "manifest.webmanifest"];

self.addEventListener("install", event => {
  event.waitUntil(caches.open(SHELL_CACHE).then(cache => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", event => {
  event.waitUntil(caches.keys()
    .then(names => Promise.all(names.filter(name => name !== SHELL_CACHE).map(name => caches.delete(name))))
    .then(() => self.clients.claim()));
});

// The shell from the network first (a new build shows at once), from the cache when offline.
self.addEventListener("fetch", event => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  event.respondWith(fetch(event.request)
    .then(response => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(SHELL_CACHE).then(cache => cache.put(event.request, copy));
      }
      return response;
    })
    .catch(() => caches.match(event.request).then(cached => cached ?? caches.match("index.html"))));
});

self.addEventListener("push", event => {
  let alert = {};
  try {
    alert = event.data ? event.data.json() : {};
  } catch {
    alert = { title: event.data ? event.data.text() : "EdgeSafety" };
  }
  event.waitUntil(self.registration.showNotification(alert.title || "EdgeSafety", {
    body: alert.body || "",
    tag: alert.alertId ? `alert-${alert.alertId}` : undefined,
    renotify: true,
    requireInteraction: alert.severity === "Critical",
    icon: "icon-192.png",
    data: { url: alert.url || "./#/" },
  }));
});

self.addEventListener("notificationclick", event => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || "./#/", self.location.href).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(windows => {
    const open = windows.find(client => client.url.startsWith(self.location.origin));
    return open ? open.focus().then(client => client.navigate(target)) : self.clients.openWindow(target);
  }));
});
