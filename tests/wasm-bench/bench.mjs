// Times bpfplay's interpreter compiled to wasm32 under node: ns per executed instruction
// for the three programs of tests/benches/interp.rs (best and median of 7 runs).
//   node tests/wasm-bench/bench.mjs [path/to/bpfplay_wasm_bench.wasm]
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const path = process.argv[2] ?? new URL("../../target/wasm-bench/wasm32-unknown-unknown/release/bpfplay_wasm_bench.wasm", import.meta.url);
const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
const { prepare, run, result } = instance.exports;
const names = ["(a) ALU loop", "(b) stack load/store loop", "(c) prime counting with calls"];
console.log(`node ${process.version}`);
console.log("| program | insns executed | wasm best | wasm median |");
console.log("| --- | ---: | ---: | ---: |");
for (let k = 0; k < 3; k++) {
  if (!prepare(k)) throw new Error(`prepare(${k}) failed`);
  const insns = run(); // warm-up, and the instruction count
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const n = run();
    const dt = performance.now() - t;
    if (n !== insns) throw new Error("different instruction counts");
    times.push((dt * 1e6) / n);
  }
  times.sort((a, b) => a - b);
  console.log(`| ${names[k]} | ${insns} | ${times[0].toFixed(2)} ns | ${times[3].toFixed(2)} ns |`);
  void result;
}
