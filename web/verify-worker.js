// bpfplay's verifier worker: loads the app's own wasm module and verifies programs off the
// page's thread (see web/src/worker.rs). Messages: {init, bindings, wasm} once, then
// {id, src, type, unpriv, log}; each answer is {id, result}, after {id, progress} messages
// with the processed-instruction count on long walks.
let api = null;
const waiting = [];

function answer(m) {
  const progress = (n) => self.postMessage({ id: m.id, progress: n });
  self.postMessage({ id: m.id, result: api.verify_in_worker(m.src, m.type, m.unpriv, m.log, progress) });
}

self.onmessage = async (e) => {
  const m = e.data;
  if (m.init) {
    const mod = await import(m.bindings);
    await mod.default({ module_or_path: m.wasm });
    api = mod;
    while (waiting.length) answer(waiting.shift());
  } else if (api) {
    answer(m);
  } else {
    waiting.push(m);
  }
};
