/* socratiq_local: the page side. One script tag:
 *   <script src=".../socratiq.js" data-book="my-book" defer></script>
 * It owns the DOM and localStorage; Python runs in a module worker (worker.js) and sends back
 * HTML that our Python renderer escaped. Nothing here talks to any origin but the page's own.
 */
(() => {
  "use strict";
  if (window.socratiq && window.socratiq.version) return; // loaded twice: keep the first

  const PROTOCOL = 1;
  const script = document.currentScript;
  const BASE = new URL(".", script ? script.src : location.href).href;
  const BOOK = sanitizeBook((script && script.dataset.book) || "default");
  const PREFIX = `socratiq:${BOOK}:`;
  const SW_URL = script && script.dataset.serviceWorker;

  function sanitizeBook(name) {
    const clean = String(name).trim().replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 64);
    return clean || "default";
  }

  function randomId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // ---- the worker connection -------------------------------------------------------------
  let worker = null;
  let nextId = 1;
  const pending = new Map();
  let readyResolve, readyReject;
  const ready = new Promise((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  ready.catch(() => {}); // reported on the page; hosts may still await it
  let started = false;
  let readyDone = false;
  let failed = null;

  function start() {
    if (started) return ready;
    started = true;
    if (typeof Worker === "undefined" || typeof WebAssembly === "undefined") {
      fail(new Error("This browser cannot run the quizzes (it lacks Web Workers or WebAssembly)."));
      return ready;
    }
    try {
      // The page compiles the wasm and hands it over: the page, unlike a module worker, gets
      // the browser's compiled-code cache, so a second visit starts much faster (bench/).
      const pageWasm = typeof WebAssembly.compileStreaming === "function";
      worker = new Worker(workerURL(), { type: "module", name: pageWasm ? "socratiq+wasm" : "socratiq" });
      if (pageWasm) {
        WebAssembly.compileStreaming(fetch(BASE + "pyodide/pyodide.asm.wasm", { credentials: "same-origin" }))
          .then((module) => worker.postMessage({ op: "wasm", module }))
          .catch(() => worker.postMessage({ op: "wasm", module: null }));
      }
    } catch (error) {
      fail(new Error("This browser cannot start the quiz engine: " + error.message));
      return ready;
    }
    worker.onmessage = (event) => onWorkerMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      fail(new Error("The quiz engine stopped: " + (event.message || "unknown error")));
    };
    claimWriterId()
      .then((writerId) =>
        call("init", {
          protocol: PROTOCOL,
          book: BOOK,
          writerId,
          storage: readOurKeys(),
        }),
      )
      .then((result) => {
        readyDone = true;
        readyResolve(api);
        showWarnings(result.warnings);
        electCompactor();
        // Once the quizzes show, the worker imports what answers need (its first quiz did
        // not wait for that): the reader's first Check is then as quick as the next ones.
        renderAll().then(() => call("warm").catch(() => {}));
      })
      .catch(fail);
    return ready;
  }

  // A worker is controlled by a service worker only if its script lies in that worker's scope,
  // and the bundle usually does not lie in the book's. A blob: worker inherits the page's
  // service worker instead, so offline the worker's own fetches (Pyodide, wheels) are served
  // from the precache too.
  function workerURL() {
    const direct = BASE + "worker.js";
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return direct;
    const source = `import ${JSON.stringify(direct)};`;
    return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  }

  function fail(error) {
    if (failed) return;
    failed = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    readyReject(error);
    for (const host of hosts) showError(host, error.message);
  }

  function call(op, payload = {}) {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, now: Date.now(), tzOffsetMinutes: -new Date().getTimezoneOffset(), ...payload });
    });
  }

  function onWorkerMessage(message) {
    if (message.op === "progress") {
      for (const host of hosts) showProgress(host, message.stage, message.fraction);
      return;
    }
    if (message.op === "fatal") {
      fail(new Error(message.error));
      return;
    }
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) {
      applyWrites(message.result && message.result.writes).then(
        () => waiter.resolve(message.result),
        waiter.reject,
      );
    } else {
      waiter.reject(new Error(message.error || "The quiz engine could not do that."));
    }
  }

  // ---- localStorage: the page owns it; the worker sends the writes ------------------------
  function readOurKeys() {
    const found = {};
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key && key.startsWith(PREFIX)) found[key] = localStorage.getItem(key);
      }
    } catch (error) {
      // Storage disabled (privacy mode, sandboxed frame): Python keeps progress in memory.
    }
    return found;
  }

  async function applyWrites(writes, depth = 0) {
    if (!writes || !writes.length) return;
    const failedKeys = [];
    for (const [key, value] of writes) {
      if (!key.startsWith(PREFIX)) continue; // never touch another book's or the host's keys
      try {
        if (value === null) localStorage.removeItem(key);
        else localStorage.setItem(key, value);
      } catch (error) {
        failedKeys.push(key);
      }
    }
    if (failedKeys.length && depth < 2) {
      const result = await call("write_failed", { keys: failedKeys, storage: readOurKeys() });
      showWarnings(result.warnings);
    }
  }

  window.addEventListener("storage", (event) => {
    if (!started || failed || event.storageArea !== localStorage) return;
    if (event.key === null || event.key.startsWith(PREFIX)) {
      call("storage_changed", { storage: readOurKeys() })
        .then((result) => {
          if (result.changed) renderDashboards();
        })
        .catch(() => {});
    }
  });

  // Every tab writes only its own log key, named by a writer id it holds a Web Lock on for its
  // whole life; ids come from a small pool (w0, w1, …) so a new page load continues an old log
  // instead of adding one. The one tab that holds the compactor lock also folds every tab's log
  // into the shared snapshot. (localStorage is not coherent between tabs, even under locks: no
  // key is ever written by two tabs. See README, "Two tabs".)
  async function claimWriterId() {
    if (!navigator.locks) return "t" + randomId().slice(0, 20);
    for (let n = 0; n < 32; n++) {
      const held = await new Promise((resolve) => {
        navigator.locks
          .request(`${PREFIX}writer:w${n}`, { ifAvailable: true }, (lock) => {
            resolve(lock !== null);
            return lock === null ? undefined : new Promise(() => {}); // held for the tab's life
          })
          .catch(() => resolve(false));
      });
      if (held) return `w${n}`;
    }
    return "t" + randomId().slice(0, 20);
  }

  function electCompactor() {
    if (!navigator.locks) return;
    navigator.locks
      .request(`${PREFIX}compactor`, () => {
        const compact = () => call("compact").catch(() => {});
        setTimeout(compact, 5_000); // not on the way of the first quiz or the first answer
        setInterval(compact, 60_000);
        return new Promise(() => {}); // held for the tab's life; the next tab takes over
      })
      .catch(() => {});
  }

  // ---- placeholders ---------------------------------------------------------------------
  const hosts = [];

  function mount() {
    for (const node of document.querySelectorAll(".socratiq-quiz, .socratiq-dashboard")) {
      if (node.dataset.socratiqMounted) continue;
      node.dataset.socratiqMounted = "1";
      const isScript = node.tagName === "SCRIPT";
      const element = isScript ? document.createElement("div") : node;
      if (isScript) {
        element.className = "socratiq-quiz";
        node.after(element);
      }
      const shadow = element.attachShadow({ mode: "open" });
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = BASE + "styles.css";
      const root = document.createElement("div");
      root.className = "sq-root";
      root.setAttribute("part", "root");
      shadow.append(style, root);
      const host = {
        element,
        root,
        kind: node.classList.contains("socratiq-dashboard") ? "dashboard" : "quiz",
        src: isScript ? null : node.dataset.src || null,
        inline: isScript ? node.textContent : null,
        format: node.dataset.format || "native",
        section: (node.dataset.section || "").replace(/^#/, "") || null,
        instance: `sq${hosts.length + 1}`,
        title: null,
        source: null,
      };
      hosts.push(host);
      showPlaceholder(host);
      wire(host);
      if (failed) showError(host, failed.message);
      else if (readyDone) renderHost(host); // placed after the engine started
      else observe(host);
    }
  }

  function el(tag, attrs = {}, text = null) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text !== null) node.textContent = text;
    return node;
  }

  function showPlaceholder(host) {
    const box = el("div", { class: "sq-placeholder", "aria-busy": "true" });
    box.append(el("p", { class: "sq-title" }, host.kind === "dashboard" ? "Your progress" : "Quiz"));
    const bar = el("progress", { class: "sq-progress", "aria-label": "Loading the quiz engine" });
    box.append(bar, el("p", { class: "sq-stage", "aria-live": "polite" }, "Waiting to load…"));
    host.root.replaceChildren(box);
    if (host.kind === "quiz") {
      loadSource(host)
        .then(() => {
          const title = host.root.querySelector(".sq-placeholder .sq-title, .sq-error .sq-title");
          if (title && host.title) title.textContent = host.title;
        })
        .catch(() => {}); // reported when rendering
    }
  }

  function showProgress(host, stage, fraction) {
    const box = host.root.querySelector(".sq-placeholder");
    if (!box) return;
    const bar = box.querySelector("progress");
    if (typeof fraction === "number") bar.value = fraction;
    box.querySelector(".sq-stage").textContent = stage;
  }

  function showError(host, message) {
    const box = el("div", { class: "sq-error", role: "alert" });
    box.append(el("p", { class: "sq-title" }, host.title || (host.kind === "dashboard" ? "Your progress" : "Quiz")));
    box.append(el("p", {}, message));
    host.root.replaceChildren(box);
  }

  function showWarnings(warnings) {
    if (!warnings || !warnings.length) return;
    for (const host of hosts) {
      let box = host.root.querySelector(".sq-warnings");
      if (!box) {
        box = el("div", { class: "sq-warnings", role: "status" });
        host.root.prepend(box);
      }
      for (const text of warnings) box.append(el("p", {}, text));
    }
  }

  async function loadSource(host) {
    if (host.source !== null) return host.source;
    let text = host.inline;
    if (text === null) {
      if (!host.src) throw new Error("This quiz has no data-src.");
      const response = await fetch(new URL(host.src, document.baseURI), { credentials: "same-origin" });
      if (!response.ok) throw new Error(`The quiz file ${host.src} could not be loaded (HTTP ${response.status}).`);
      text = await response.text();
    }
    host.source = text;
    try {
      const data = JSON.parse(text);
      if (host.format === "mlsysbook" && host.section && Array.isArray(data.sections)) {
        const section = data.sections.find((s) => String(s.section_id || "").replace(/^#/, "") === host.section);
        host.title = section && typeof section.section_title === "string" ? section.section_title : null;
      } else if (typeof data.title === "string") {
        host.title = data.title.slice(0, 200);
      }
    } catch (error) {
      // Python reports the problem precisely when it renders.
    }
    return text;
  }

  const observer =
    "IntersectionObserver" in window
      ? new IntersectionObserver(
          (entries) => {
            if (entries.some((entry) => entry.isIntersecting)) start();
          },
          { rootMargin: "800px 0px" },
        )
      : null;

  function observe(host) {
    if (observer) observer.observe(host.element);
    else start();
  }

  function whenIdle() {
    const go = () => start();
    if ("requestIdleCallback" in window) requestIdleCallback(go, { timeout: 5000 });
    else setTimeout(go, 2000);
  }

  // ---- rendering ------------------------------------------------------------------------
  function renderAll() {
    return Promise.allSettled(hosts.map(renderHost));
  }

  function renderDashboards(except = null) {
    for (const host of hosts) if (host.kind === "dashboard" && host !== except) renderHost(host);
  }

  async function renderHost(host) {
    try {
      let result;
      if (host.kind === "dashboard") {
        result = await call("dashboard", { instance: host.instance, quizzes: await bookQuizzes(host) });
      } else {
        const source = await loadSource(host);
        result = await call("quiz", {
          source,
          sourceName: host.src || "inline quiz",
          format: host.format,
          section: host.section,
          instance: host.instance,
        });
      }
      setHTML(host.root, result.html);
    } catch (error) {
      showError(host, error.message);
    }
  }

  // The dashboard's data-quizzes lists the book's quiz files, so mastery counts every
  // question of the book, not only those the reader has met on this page.
  async function bookQuizzes(host) {
    if (host.bookQuizzes) return host.bookQuizzes;
    const names = (host.element.dataset.quizzes || "").split(/\s+/).filter(Boolean);
    const format = host.element.dataset.format || "native";
    host.bookQuizzes = await Promise.all(
      names.map(async (name) => {
        const response = await fetch(new URL(name, document.baseURI), { credentials: "same-origin" });
        return { name, format, text: response.ok ? await response.text() : null };
      }),
    );
    return host.bookQuizzes;
  }

  // The only place HTML from Python enters the page: it was built by our renderer, which
  // escapes every piece of author or learner text (see src/socratiq_local/render/).
  function setHTML(node, html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    node.replaceChildren(template.content);
  }

  // ---- answering ------------------------------------------------------------------------
  function collectAnswer(form) {
    const type = form.dataset.questionType;
    const checked = (selector) => Array.from(form.querySelectorAll(selector)).filter((i) => i.checked);
    switch (type) {
      case "single_choice": {
        const [picked] = checked("input[type=radio]");
        return picked ? picked.value : undefined;
      }
      case "multiple_choice": {
        const picked = checked("input[type=checkbox]").map((i) => i.value);
        return picked.length ? picked : undefined;
      }
      case "true_false": {
        const [picked] = checked("input[type=radio]");
        return picked ? picked.value === "true" : undefined;
      }
      case "fill_blank": {
        const blanks = Array.from(form.querySelectorAll("input[data-blank-index]"));
        blanks.sort((a, b) => Number(a.dataset.blankIndex) - Number(b.dataset.blankIndex));
        const typed = blanks.map((i) => i.value);
        return typed.every((t) => t.trim() === "") ? undefined : typed;
      }
      case "numeric": {
        const input = form.querySelector("input[name=value]") || form.querySelector("input[type=text]");
        return input && input.value.trim() !== "" ? input.value : undefined;
      }
      case "ordering":
        return Array.from(form.querySelectorAll("li[data-item-id]"), (li) => li.dataset.itemId);
      case "matching": {
        const chosen = {};
        for (const select of form.querySelectorAll("select[data-pair-id]")) {
          if (select.value) chosen[select.dataset.pairId] = select.value;
        }
        return Object.keys(chosen).length ? chosen : undefined;
      }
      default:
        return undefined;
    }
  }

  function statusOf(form) {
    return form.querySelector("[role=status]");
  }

  function say(form, text) {
    const status = statusOf(form);
    if (status) status.replaceChildren(el("p", { class: "sq-nudge" }, text));
  }

  function dispatch(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail }));
  }

  async function submit(host, form, answer) {
    // host: the quiz or dashboard (a review session) the form is in
    const questionId = form.dataset.questionId;
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const result = await call("check", {
        quizId: form.dataset.quizId,
        questionId,
        answer,
        review: form.closest("[data-review]") !== null,
      });
      setHTML(statusOf(form), result.html);
      showWarnings(result.warnings);
      dispatch("socratiq:answered", { book: BOOK, questionId, correct: result.correct, score: result.score });
      for (const notice of result.notices || []) {
        dispatch(`socratiq:${notice.kind}`, { book: BOOK, ...notice });
      }
      renderDashboards(host); // XP and mastery moved; a review session in progress stays
    } catch (error) {
      say(form, error.message);
    } finally {
      if (button) button.disabled = false;
    }
  }

  function moveItem(button) {
    const li = button.closest("li[data-item-id]");
    if (!li) return;
    const up = button.dataset.move === "up";
    const sibling = up ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return;
    if (up) sibling.before(li);
    else sibling.after(li);
    button.focus();
    const form = li.closest("form");
    const position = Array.from(li.parentElement.children).indexOf(li) + 1;
    let live = form && form.querySelector(".sq-order-live");
    if (form && !live) {
      live = el("p", { class: "sq-order-live sq-visually-hidden", "aria-live": "polite" });
      form.append(live);
    }
    const label = li.querySelector(".sq-item-text");
    if (live) live.textContent = `${label ? label.textContent : "Item"}: position ${position}`;
  }

  function wire(host) {
    host.root.addEventListener("submit", (event) => {
      const form = event.target.closest("form.sq-question");
      if (!form) return;
      event.preventDefault();
      if (form.dataset.questionType === "short_answer") {
        const text = (form.querySelector("textarea") || { value: "" }).value;
        call("reveal", { quizId: form.dataset.quizId, questionId: form.dataset.questionId })
          .then((result) => {
            setHTML(statusOf(form), result.html);
            form.dataset.learnerText = text;
            const first = statusOf(form).querySelector("button[data-rating]");
            if (first) first.focus();
          })
          .catch((error) => say(form, error.message));
        return;
      }
      const answer = collectAnswer(form);
      if (answer === undefined) {
        say(form, "Give an answer first.");
        return;
      }
      submit(host, form, answer);
    });
    host.root.addEventListener("click", (event) => {
      const target = event.target.closest("button");
      if (!target) return;
      const form = target.closest("form.sq-question");
      if (target.dataset.move && form) {
        event.preventDefault();
        moveItem(target);
      } else if (target.dataset.rating && form) {
        event.preventDefault();
        submit(host, form, { rating: target.dataset.rating, text: form.dataset.learnerText || "" });
      } else if (target.dataset.action) {
        event.preventDefault();
        dashboardAction(host, target.dataset.action);
      }
    });
    host.root.addEventListener("change", (event) => {
      const input = event.target;
      if (input.matches && input.matches("input[type=file][data-action=import-file]")) {
        const file = input.files && input.files[0];
        if (file) file.text().then((text) => importProgress(text).then((r) => reportTo(host, r.message)));
      }
    });
  }

  function reportTo(host, message) {
    const box = host.root.querySelector(".sq-data-status");
    if (box) box.textContent = message;
  }

  async function dashboardAction(host, action) {
    try {
      if (action === "export") {
        const text = await exportProgress();
        const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
        const link = el("a", { href: url, download: `socratiq-${BOOK}-progress.json` });
        host.root.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        reportTo(host, "Your progress was saved to a file.");
      } else if (action === "import") {
        const input = host.root.querySelector("input[type=file][data-action=import-file]");
        if (input) input.click();
      } else if (action === "wipe") {
        if (!window.confirm("Delete all your progress for this book on this device? This cannot be undone.")) return;
        await wipe();
        reportTo(host, "All progress for this book was deleted from this device.");
      } else if (action === "review") {
        const result = await call("review", { instance: host.instance });
        const area = host.root.querySelector(".sq-review-area");
        if (area) setHTML(area, result.html);
        const first = area && area.querySelector("input, select, button, textarea");
        if (first) first.focus();
      }
    } catch (error) {
      reportTo(host, error.message);
    }
  }

  // ---- the host page's API ----------------------------------------------------------------
  async function exportProgress() {
    await start();
    return (await call("export", { storage: readOurKeys() })).text;
  }

  async function importProgress(text) {
    await start();
    const result = await call("import", { text: String(text) });
    renderAll();
    return result;
  }

  async function wipe() {
    await start();
    const result = await call("wipe", { storage: readOurKeys() });
    renderAll();
    return result;
  }

  const api = Object.freeze({
    version: "0.1.0",
    book: BOOK,
    ready,
    start,
    exportProgress,
    importProgress,
    wipe,
  });
  window.socratiq = api;

  if (SW_URL && "serviceWorker" in navigator) {
    const url = new URL(SW_URL, document.baseURI);
    url.searchParams.set("bundle", BASE);
    navigator.serviceWorker.register(url.href).catch((error) => console.warn("[socratiq] offline support:", error));
  }

  // After the host page's first frame: our placeholders never delay its own content.
  function boot() {
    let booted = false;
    const go = () => {
      if (booted) return;
      booted = true;
      mount();
      whenIdle();
    };
    // A timer alone could fire before the first frame (bench/: FCP 1.19 x with one at 100 ms);
    // hidden tabs get no frames, and have nothing to paint first.
    if (document.visibilityState === "hidden") setTimeout(go, 0);
    else requestAnimationFrame(() => setTimeout(go, 0));
    document.addEventListener("visibilitychange", go, { once: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
