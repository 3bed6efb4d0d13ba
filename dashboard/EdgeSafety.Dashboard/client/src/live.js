// Live updates over server-sent events: one stream per page, events dispatched by name to whoever listens.
// The browser reconnects by itself; the connection badge shows whether the page is live.

const handlers = new Map();
const stateListeners = new Set();
let source = null;
let state = "connecting";

export function onLiveState(listener) {
  stateListeners.add(listener);
  listener(state);
}

function setState(next) {
  state = next;
  stateListeners.forEach(listener => listener(next));
}

/** Calls handler(data) for every event of this name; returns a function that stops it. */
export function onLive(event, handler) {
  if (!handlers.has(event)) {
    handlers.set(event, new Set());
    source?.addEventListener(event, dispatch);
  }
  handlers.get(event).add(handler);
  return () => handlers.get(event).delete(handler);
}

function dispatch(event) {
  let data;
  try {
    data = JSON.parse(event.data);
  } catch {
    return;
  }
  handlers.get(event.type)?.forEach(handler => handler(data));
}

export function connectLive(url) {
  disconnectLive();
  source = new EventSource(url);
  source.addEventListener("open", () => setState("live"));
  source.addEventListener("error", () => setState(source.readyState === EventSource.CLOSED ? "closed" : "lost"));
  for (const event of handlers.keys()) source.addEventListener(event, dispatch);
}

export function disconnectLive() {
  source?.close();
  source = null;
  handlers.clear();
  setState("connecting");
}

/** fn at most once per burst: calls within ms of the first are folded into one call at its end. */
export function coalesced(fn, ms = 150) {
  let timer = null;
  const call = () => {
    timer ??= setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}
