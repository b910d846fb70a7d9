/* socratiq_local: the second worker that makes this device's start-up snapshot (snapshot.js),
 * started by the page when it is idle after a first visit's engine is warm. It posts
 * {op: "snapshot", made} and closes: whatever happens, the reader's page never waits for it. */
import { makeSnapshot } from "./snapshot.js";

makeSnapshot()
  .catch((error) => {
    console.info("[socratiq] no start-up snapshot made:", error instanceof Error ? error.message : error);
    return false;
  })
  .then((made) => {
    postMessage({ op: "snapshot", made });
    close();
  });
