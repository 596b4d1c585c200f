//! Exports for bench.mjs: `prepare(k)` assembles benchmark program k (0 ALU loop, 1 stack
//! load/store loop, 2 prime counting with calls: the same sources as
//! tests/benches/interp.rs) into a machine; `run()` runs it once and returns the number of
//! instructions executed (0 on error); `result()` gives the last r0.

use bpfplay_core::vm::{Config, NoHost, Vm};
use std::cell::RefCell;

const SOURCES: [&str; 3] = [include_str!("alu.s"), include_str!("stack.s"), include_str!("primes.s")];

thread_local! {
    static VM: RefCell<Option<Vm>> = const { RefCell::new(None) };
    static R0: RefCell<u64> = const { RefCell::new(0) };
}

#[no_mangle]
pub extern "C" fn prepare(k: u32) -> u32 {
    let Some(src) = SOURCES.get(k as usize) else { return 0 };
    let Ok(a) = bpfplay_core::assemble(src) else { return 0 };
    let Ok(vm) = Vm::with_config(a.program, Config { budget: u64::MAX }) else { return 0 };
    VM.with(|v| *v.borrow_mut() = Some(vm));
    1
}

#[no_mangle]
pub extern "C" fn run() -> f64 {
    VM.with(|v| {
        let mut v = v.borrow_mut();
        let Some(vm) = v.as_mut() else { return 0.0 };
        match vm.run(&mut NoHost) {
            Ok(r0) => {
                R0.with(|r| *r.borrow_mut() = r0);
                vm.executed() as f64
            }
            Err(_) => 0.0,
        }
    })
}

#[no_mangle]
pub extern "C" fn result() -> f64 {
    R0.with(|r| *r.borrow() as f64)
}
