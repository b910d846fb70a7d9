// ESLint for the page side (./build.sh lint): the page's modules, the module worker and the
// service worker, each with the globals of where it runs.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["web/dist/", "web/demo/", "node_modules/", "build/", ".venv/"] },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      "no-unused-vars": ["error", { caughtErrors: "none" }],
      "no-implicit-globals": "error",
    },
  },
  {
    files: ["web/src/**/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: { ...globals.browser, __LANGUAGES__: "readonly", __VERSION__: "readonly" },
    },
  },
  {
    files: ["web/worker.js", "web/snapshot.js", "web/snapshot_maker.js"],
    languageOptions: { sourceType: "module", globals: globals.worker },
  },
  {
    files: ["web/quiz_files.js"], // imported by the page script and by the module worker
    languageOptions: { sourceType: "module", globals: globals["shared-node-browser"] },
  },
  {
    files: ["web/sw.js"],
    languageOptions: { sourceType: "script", globals: globals.serviceworker },
    rules: { "no-implicit-globals": "off" }, // importScripts()ed into the book's own sw.js
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
