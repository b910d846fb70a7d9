/* socratiq_local offline support. A service worker only controls pages at or below its own
 * folder, so the author puts this one line in a file at the book's root, e.g. `sw.js`:
 *
 *   importScripts(new URL(new URL(location).searchParams.get("bundle"), location).href + "sw.js");
 *
 * and adds data-service-worker="sw.js" to the script tag; socratiq.js registers it with
 * ?bundle=<the bundle's folder>. This file then precaches the whole bundle (listed in
 * manifest.json) and keeps a copy of the pages and quiz files the reader visits, so a book
 * opened once keeps working with the network off. It is safe on any site: it answers only
 * same-origin GET requests for pages, the bundle and what scripts fetch (quiz files), always
 * from the network first; the copies are bounded (`sw.js?keep=N`, default 100: the oldest go
 * first), a response marked `Cache-Control: no-store` is never kept (and an older copy of it is
 * dropped), and Range requests (media), non-GET requests (forms) and every other request
 * (images, media, styles, scripts) pass through untouched. `no-cache` needs no rule of its own:
 * a copy is used only when the network cannot be reached. An update removes older caches: only
 * its own (socratiq-bundle-*, socratiq-pages-*), never the worker's start-up snapshot
 * (socratiq-snapshot, web/snapshot.js), which keeps one entry per bundle version by itself.
 */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const BUNDLE = (() => {
  const bundle = new URL(sw.location.href).searchParams.get("bundle") || "./";
  const url = new URL(bundle, sw.location.href);
  if (url.origin !== sw.location.origin) throw new Error("socratiq: the bundle must be on this origin");
  return url.href.endsWith("/") ? url.href : url.href + "/";
})();
const PAGES_PREFIX = "socratiq-pages-";
const PAGES = PAGES_PREFIX + "v2";
const BUNDLE_PREFIX = "socratiq-bundle-";
/** How many pages and quiz files are kept: `keep` in the registration's query, else 100. */
const KEEP = (() => {
  const keep = Number(new URL(sw.location.href).searchParams.get("keep"));
  return Number.isInteger(keep) && keep > 0 ? keep : 100;
})();

/** @returns {Promise<{version: string, files: {path: string}[]}>} */
async function manifest() {
  const response = await fetch(BUNDLE + "manifest.json", { cache: "no-cache" });
  if (!response.ok) throw new Error(`socratiq: manifest.json: HTTP ${response.status}`);
  return response.json();
}

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const { version, files } = await manifest();
      const cache = await caches.open(BUNDLE_PREFIX + version);
      await cache.addAll(files.map((file) => BUNDLE + file.path));
      await cache.put(BUNDLE + "manifest.json", new Response(JSON.stringify({ version, files })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const current = await currentBundleCache();
      for (const name of await caches.keys()) {
        const old = name.startsWith(BUNDLE_PREFIX) ? name !== current : name.startsWith(PAGES_PREFIX) && name !== PAGES;
        if (old) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

async function currentBundleCache() {
  const names = (await caches.keys()).filter((name) => name.startsWith(BUNDLE_PREFIX));
  for (const name of names.reverse()) {
    const cache = await caches.open(name);
    if (await cache.match(BUNDLE + "manifest.json")) return name;
  }
  return null;
}

/** @param {Request} request */
async function fromBundle(request) {
  const name = await currentBundleCache();
  if (name) {
    const hit = await (await caches.open(name)).match(request, { ignoreSearch: true });
    if (hit) return hit;
  }
  return fetch(request);
}

/**
 * Whether a response may be kept for offline use: a whole, same-origin, successful page or
 * JSON file that neither side marked `no-store`.
 * @param {Request} request
 * @param {Response} response
 */
function keepable(request, response) {
  if (response.status !== 200 || response.type !== "basic" || noStore(request, response)) return false;
  const type = response.headers.get("Content-Type") || "";
  return request.mode === "navigate" || /^(text\/html|application\/([\w.-]+\+)?json)\b/i.test(type);
}

/**
 * @param {Request} request
 * @param {Response} response
 */
function noStore(request, response) {
  return request.cache === "no-store" || /(^|,)\s*no-store\s*(,|$)/i.test(response.headers.get("Cache-Control") || "");
}

/** Cache writes, one at a time, so the bound holds. */
let writes = Promise.resolve();

/**
 * Keep `response` as the newest copy of `url`, then drop the oldest copies beyond KEEP
 * (Cache.keys() lists entries in the order they were put); `response` null drops `url`.
 * @param {string} url
 * @param {Response | null} response
 */
function remember(url, response) {
  writes = writes
    .then(async () => {
      const cache = await caches.open(PAGES);
      await cache.delete(url, { ignoreVary: true, ignoreSearch: false });
      if (!response) return;
      await cache.put(url, response);
      const keys = await cache.keys();
      for (const old of keys.slice(0, Math.max(0, keys.length - KEEP))) await cache.delete(old);
    })
    .catch((error) => console.warn("[socratiq] offline copy:", error));
  return writes;
}

/** @param {FetchEvent} event */
async function networkFirst(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (keepable(request, response)) event.waitUntil(remember(request.url, response.clone()));
    else if (noStore(request, response)) event.waitUntil(remember(request.url, null));
    return response;
  } catch (error) {
    const hit = await (await caches.open(PAGES)).match(request.url, { ignoreVary: true });
    if (hit) return hit;
    throw error;
  }
}

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("Range")) return; // forms, media: untouched
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (url.href.startsWith(BUNDLE) && !url.pathname.endsWith("/manifest.json")) {
    event.respondWith(fromBundle(request));
  } else if (request.mode === "navigate" || request.destination === "") {
    event.respondWith(networkFirst(event)); // pages; what scripts fetch, quiz files among it
  }
});
