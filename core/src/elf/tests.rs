use super::*;
use crate::verifier::{verify, Options};

/// The checked-in C examples (static/c), as the tests and the UI see them.
pub(crate) fn example(name: &str) -> &'static [u8] {
    match name {
        "bounded_loop" => include_bytes!("../../../static/c/bounded_loop.o"),
        "kprobe_ancestors" => include_bytes!("../../../static/c/kprobe_ancestors.o"),
        "ringbuf_events" => include_bytes!("../../../static/c/ringbuf_events.o"),
        "socket_protocols" => include_bytes!("../../../static/c/socket_protocols.o"),
        "subprog_calls" => include_bytes!("../../../static/c/subprog_calls.o"),
        "syscall_histogram" => include_bytes!("../../../static/c/syscall_histogram.o"),
        "xdp_firewall" => include_bytes!("../../../static/c/xdp_firewall.o"),
        _ => panic!("no example {name}"),
    }
}

const EXAMPLES: [&str; 7] = ["bounded_loop", "kprobe_ancestors", "ringbuf_events", "socket_protocols", "subprog_calls", "syscall_histogram", "xdp_firewall"];

#[test]
fn dump_examples() {
    for n in EXAMPLES {
        let o = load(example(n)).unwrap_or_else(|e| panic!("{n}: {e}"));
        std::eprintln!("== {n}: license {:?} files {:?}", o.license, o.files);
        for m in &o.maps {
            std::eprintln!("  map {:?} data {:?}", m.def, m.data);
        }
        for p in &o.programs {
            std::eprintln!("  prog {} {} {:?} funcs {:?}", p.name, p.section, p.prog_type, p.funcs);
            let a = o.assembled(p).unwrap();
            std::eprintln!("{}", crate::listing(&a.program, &a.maps));
            let v = verify(&p.raw, &o.map_defs(), &Options { prog_type: p.prog_type.unwrap(), ..Options::default() });
            std::eprintln!("  verdict {} {:?} {}", v.accepted, v.error, v.processed);
        }
    }
}

