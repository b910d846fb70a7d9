/* socratiq_local: the page side. One script tag:
 *   <script src=".../socratiq.js" data-book="my-book" async></script>
 * It owns the DOM and localStorage; Python runs in a module worker (worker.js) and sends back
 * HTML that our Python renderer escaped. Nothing here talks to any origin but the page's own.
 * Built from web/src/ into one classic script by tools/build_bundle.py (esbuild). */

import { api } from "./api.js";
import { listenForCelebrations } from "./celebrate.js";
import { SERVICE_WORKER, BASE } from "./config.js";
import { mountIn, watchForPlaceholders } from "./mount.js";

/** After the host page's first frame: our placeholders never delay its own content. */
function boot() {
  let booted = false;
  const go = () => {
    if (booted) return;
    booted = true;
    mountIn(document);
    watchForPlaceholders();
  };
  // A timer alone could fire before the first frame (bench/: FCP 1.19 x with one at 100 ms);
  // hidden tabs get no frames, and have nothing to paint first.
  if (document.visibilityState === "hidden") setTimeout(go, 0);
  else requestAnimationFrame(() => setTimeout(go, 0));
  document.addEventListener("visibilitychange", go, { once: true });
}

function registerServiceWorker() {
  if (!SERVICE_WORKER || !("serviceWorker" in navigator)) return;
  const url = new URL(SERVICE_WORKER, document.baseURI);
  url.searchParams.set("bundle", BASE);
  navigator.serviceWorker.register(url.href).catch((error) => console.warn("[socratiq] offline support:", error));
}

// Loaded twice: the first copy keeps the page.
if (!(window.socratiq && window.socratiq.version)) {
  window.socratiq = api;
  listenForCelebrations();
  registerServiceWorker();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
}
