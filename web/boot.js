// Starts bpfplay: loads the wasm-bindgen glue and the module whose names trunk wrote on this
// script's tag. A file rather than an inline script, so that the Content-Security-Policy can
// allow only the page's own scripts.
const tag = document.querySelector('script[data-bindings][data-wasm]');
try {
  const { default: init } = await import(tag.dataset.bindings);
  await init({ module_or_path: tag.dataset.wasm });
} catch (err) {
  const note = document.createElement('p');
  note.className = 'boot-error';
  note.textContent = `bpfplay could not start in this browser: ${err}`;
  document.body.append(note);
  throw err;
}
