//! Programs compiled from C: a clang object (a checked-in C example, or a `.o` the user
//! opens) turned into what the page works with. The editor gets the program as bpfplay
//! assembly with the C lines as `; TEXT @ FILE:LINE` comments
//! (`bpfplay_core::elf::annotated`), so verifying, stepping, running and permalinks
//! work as for any program; the C panel shows the source, and the stepper's current
//! instruction maps to its C line through those comments.

use crate::services::examples::{headers, C_EXAMPLE_FILES};
use bpfplay_core::elf::{self, Object};
use bpfplay_core::ProgType;
use std::rc::Rc;

/// The C source shown beside the assembly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CView {
    /// The file name line info gives (`xdp_firewall.c`).
    pub file: String,
    /// The lines; where only line info is known (an opened `.o`), lines it does not name are
    /// empty.
    pub lines: Vec<String>,
    /// The text came from the line info, not the file.
    pub from_line_info: bool,
}

/// An object loaded into the page, with the program shown.
#[derive(Debug)]
pub struct OpenObject {
    /// The file's name (`xdp_firewall.o`).
    pub name: String,
    pub object: Object,
    /// The program shown, by name.
    pub program: String,
    pub prog_type: ProgType,
    /// The assembly for the editor.
    pub source: String,
    pub c: Option<CView>,
    /// The C example it is, if any.
    pub example: Option<String>,
}

/// A loaded object as the model holds it: compared by identity.
#[derive(Clone, Debug)]
pub struct LoadedRef(pub Rc<OpenObject>);

impl PartialEq for LoadedRef {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

/// A C example of the gallery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CExample {
    pub id: &'static str,
    pub title: String,
    pub about: String,
    pub prog_type: Option<ProgType>,
}

pub fn c_examples() -> Vec<CExample> {
    C_EXAMPLE_FILES
        .iter()
        .map(|&(id, c, _)| {
            let mut ex =
                CExample { id, title: id.to_string(), about: String::new(), prog_type: None };
            for (k, v) in headers(c) {
                match k {
                    "title" => ex.title = v.to_string(),
                    "type" => ex.prog_type = ProgType::parse(v),
                    "about" => {
                        if !ex.about.is_empty() {
                            ex.about.push(' ');
                        }
                        ex.about.push_str(v);
                    }
                    _ => {}
                }
            }
            ex
        })
        .collect()
}

/// Loads C example `id`.
pub fn load_example(id: &str) -> Result<OpenObject, String> {
    let &(id, c, o) = C_EXAMPLE_FILES
        .iter()
        .find(|(i, _, _)| *i == id)
        .ok_or_else(|| format!("no C example `{id}`"))?;
    let mut l = open(&format!("{id}.o"), o, Some(c), None)?;
    l.example = Some(id.to_string());
    Ok(l)
}

/// Opens an object: program `program` (or the first), with the C text if known.
pub fn open(
    name: &str,
    bytes: &[u8],
    c_text: Option<&str>,
    program: Option<&str>,
) -> Result<OpenObject, String> {
    let object = elf::load(bytes).map_err(|e| format!("{name}: {e}"))?;
    let p = match program {
        Some(n) => object.program(Some(n)).map_err(|e| format!("{name}: {e}"))?,
        None => &object.programs[0],
    };
    let prog_type = p.prog_type.ok_or_else(|| {
        format!(
            "{name}: program `{}` is in section `{}`, a program type bpfplay does not model (socket, xdp, kprobe/..., tracepoint/...)",
            p.name, p.section
        )
    })?;
    let source = elf::annotated(&object, p, name).map_err(|e| format!("{name}: {e}"))?;
    let c = c_view(&object, c_text);
    Ok(OpenObject {
        name: name.to_string(),
        program: p.name.clone(),
        prog_type,
        source,
        c,
        example: None,
        object,
    })
}

/// The same object with another of its programs shown.
pub fn with_program(l: &OpenObject, program: &str) -> Result<OpenObject, String> {
    let c_text = l.c.as_ref().filter(|c| !c.from_line_info).map(|c| c.lines.join("\n"));
    let p = l.object.program(Some(program)).map_err(|e| e.to_string())?;
    let prog_type = p
        .prog_type
        .ok_or_else(|| format!("section `{}`: a program type bpfplay does not model", p.section))?;
    Ok(OpenObject {
        name: l.name.clone(),
        object: l.object.clone(),
        program: p.name.clone(),
        prog_type,
        source: elf::annotated(&l.object, p, &l.name).map_err(|e| e.to_string())?,
        c: c_view(&l.object, c_text.as_deref()),
        example: l.example.clone(),
    })
}

/// The C panel's text: the file if given, else what line info knows, line by line.
fn c_view(o: &Object, c_text: Option<&str>) -> Option<CView> {
    let file = o.files.first()?;
    let short = file.rsplit('/').next().unwrap_or(file).to_string();
    if let Some(t) = c_text {
        return Some(CView {
            file: short,
            lines: t.lines().map(String::from).collect(),
            from_line_info: false,
        });
    }
    let last = o.source.keys().filter(|(f, _)| *f == 0).map(|(_, l)| *l).max()?;
    // Line info names lines of real files; keep the panel bounded all the same.
    let last = last.min(20_000) as usize;
    let mut lines = vec![String::new(); last];
    for ((f, l), text) in &o.source {
        if *f == 0 && (*l as usize) >= 1 && (*l as usize) <= last {
            lines[*l as usize - 1] = text.clone();
        }
    }
    Some(CView { file: short, lines, from_line_info: true })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::verify::{check, prepare, Settings};

    #[test]
    fn every_c_example_loads_verifies_and_names_its_c_lines() {
        let list = c_examples();
        assert!(list.len() >= 7, "{} C examples", list.len());
        for ex in list {
            assert!(ex.title != ex.id && ex.about.len() > 40, "{}: title and about", ex.id);
            let l = load_example(ex.id).unwrap();
            assert_eq!(Some(l.prog_type), ex.prog_type, "{}", ex.id);
            let c = l.c.as_ref().unwrap();
            assert_eq!(c.file, format!("{}.c", ex.id));
            assert!(!c.from_line_info);
            let p = prepare(&l.source).unwrap_or_else(|e| panic!("{}: {e:?}", ex.id));
            let settings = Settings { prog_type: l.prog_type, unpriv: false, log_level: 2 };
            let checked = check(&p, settings);
            assert!(checked.verdict.error.is_none(), "{}: {:?}", ex.id, checked.verdict.error);
            // Every step's instruction has a C line, and it is a line of the C file whose
            // text line info gives.
            for s in &checked.verdict.trace.steps {
                let (file, cl) = checked
                    .program
                    .c_line_of(s.insn)
                    .unwrap_or_else(|| panic!("{}: insn {} has no C line", ex.id, s.insn));
                assert_eq!(file, c.file);
                let cl = cl as usize;
                assert!(cl >= 1 && cl <= c.lines.len(), "{}", ex.id);
            }
        }
    }

    #[test]
    fn an_object_without_its_c_file_shows_line_info_text() {
        let &(_, c, o) = C_EXAMPLE_FILES.iter().find(|e| e.0 == "socket_protocols").unwrap();
        let l = open("socket_protocols.o", o, None, None).unwrap();
        let v = l.c.unwrap();
        assert!(v.from_line_info);
        let file: Vec<&str> = c.lines().collect();
        let mut named = 0;
        for (i, text) in v.lines.iter().enumerate() {
            if !text.is_empty() {
                assert_eq!(text.trim(), file[i].trim(), "line {}", i + 1);
                named += 1;
            }
        }
        assert!(named >= 6, "{named} lines named");
    }

    #[test]
    fn another_program_of_the_object() {
        let bytes = include_bytes!("../../../core/src/elf/testdata/legacy_two.o");
        let l = open("legacy_two.o", bytes, None, None).unwrap();
        assert_eq!((l.program.as_str(), l.prog_type), ("first", ProgType::SocketFilter));
        let l2 = with_program(&l, "second").unwrap();
        assert_eq!((l2.program.as_str(), l2.prog_type), ("second", ProgType::Kprobe));
        assert!(l2.source.contains("map seen: hash key=4 value=4 max=16"), "{}", l2.source);
        assert!(l2.source.contains("Program `second` (section `kprobe/vfs_read`)"));
        assert_eq!(
            with_program(&l, "third").err().as_deref(),
            Some("no program `third` in the object; it has: first, second")
        );
    }

    #[test]
    fn bad_objects_give_messages() {
        let e = open("x.o", b"\x7fELF junk", None, None).unwrap_err();
        assert_eq!(
            e,
            "x.o: not a BPF object: no ELF header (a BPF object starts with \\x7fELF; compile with clang -target bpf -c)"
        );
        let e = open("notes.txt", b"hello", None, None).unwrap_err();
        assert!(e.contains("no ELF header"), "{e}");
    }
}
