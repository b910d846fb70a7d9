// web/snapshot.js imports the bundle's ./pyodide/pyodide.asm.mjs (Emscripten's module factory,
// untyped) to add a preRun hook to a snapshot's restore.
declare const createPyodideModule: (settings: any) => Promise<any>;
export default createPyodideModule;
