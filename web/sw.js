/* socratiq_local offline support. A service worker only controls pages at or below its own
 * folder, so the author puts this one line in a file at the book's root, e.g. `sw.js`:
 *
 *   importScripts(new URL(new URL(location).searchParams.get("bundle"), location).href + "sw.js");
 *
 * and adds data-service-worker="sw.js" to the script tag; socratiq.js registers it with
 * ?bundle=<the bundle's folder>. This file then precaches the whole bundle (listed in
 * manifest.json) and keeps a copy of every page and quiz file the reader visits, so a book
 * opened once keeps working with the network off. Only same-origin GET requests are touched.
 */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const BUNDLE = (() => {
  const bundle = new URL(sw.location.href).searchParams.get("bundle") || "./";
  const url = new URL(bundle, sw.location.href);
  if (url.origin !== sw.location.origin) throw new Error("socratiq: the bundle must be on this origin");
  return url.href.endsWith("/") ? url.href : url.href + "/";
})();
const PAGES = "socratiq-pages-v1";
const BUNDLE_PREFIX = "socratiq-bundle-";

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
        if (name.startsWith(BUNDLE_PREFIX) && name !== current) await caches.delete(name);
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

/** @param {Request} request */
async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(request, { ignoreVary: true });
    if (hit) return hit;
    throw error;
  }
}

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (url.href.startsWith(BUNDLE) && !url.pathname.endsWith("/manifest.json")) {
    event.respondWith(fromBundle(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});
