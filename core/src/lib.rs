//! bpfplay's core: the eBPF ISA, assembler and disassembler (and, as they land, the verifier,
//! maps, helpers and interpreter). `no_std` + `alloc` so that it builds for the browser and
//! for any host alike; the web and CLI crates are thin layers over this API.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod asm;
pub mod conformance;
pub mod disasm;
pub mod elf;
pub mod helpers;
pub mod hex;
pub mod isa;
pub mod maps;
pub mod program;
pub mod progtype;
pub mod run;
pub mod verifier;
pub mod vm;

pub use asm::{assemble, AsmError, Assembled};
pub use disasm::{disassemble, listing, Style};
pub use isa::decode::{decode, decode_bytes, DecodeError};
pub use isa::{Insn, Program, RawInsn};
pub use program::{LoadError, Loaded};
