// bench/pages/bare.html?worker: loadPyodide() alone in a module worker.
self.onmessage = async (event) => {
  const indexURL = event.data;
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  await loadPyodide({ indexURL });
  postMessage("done");
};
