// Starts the uncertainty worker (src/bin/worker.rs) in the hosted page: the
// page runs `new Worker("worker_loader.js")` once the first estimate is on
// screen. worker.js is wasm-bindgen's glue (its no-modules form, which
// defines `wasm_bindgen`), worker_bg.wasm the model; trunk writes both
// beside this file. A failure to load is thrown again outside the promise,
// so that it reaches the page as the worker's error event (an unhandled
// rejection would not) and the page computes on its own.
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" }).catch((error) => {
  setTimeout(() => {
    throw error;
  });
});
