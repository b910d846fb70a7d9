// web/worker.js imports the bundle's ./pyodide/pyodide.mjs (copied from npm's pyodide at build
// time); tsconfig.worker.json's rootDirs finds its types here.
export { loadPyodide, version } from "pyodide";
