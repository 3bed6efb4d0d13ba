// Web Push: the browser subscribes with the server's VAPID public key, and the server adds the subscription to the
// person's notification targets (ingest's notifications send to it).
import { get, post } from "./api.js";

export function pushSupported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), char => char.charCodeAt(0));
}

export async function pushSubscribed() {
  if (!pushSupported()) return false;
  const registration = await navigator.serviceWorker.ready;
  return (await registration.pushManager.getSubscription()) !== null;
}

/** Asks for permission, subscribes and registers the subscription; throws with the reason when it cannot. */
export async function subscribePush() {
  const { publicKey } = await get("/api/push/key");
  if ((await Notification.requestPermission()) !== "granted") throw new Error("permission");
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
  await post("/api/push/subscriptions", subscription.toJSON());
}
