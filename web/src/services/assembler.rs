//! The editor's source to what the output panel shows: the encoded instructions with their
//! kernel-style disassembly, or the first assembly error with its position.

use bpfplay_core::disasm::insn_text;
use bpfplay_core::{assemble, AsmError, Style};

/// At most this many instructions are put on the page; a longer program is summarised.
pub const MAX_ROWS: usize = 4096;

/// One 8-byte instruction slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The slot's index, as jump offsets count.
    pub index: usize,
    /// The 8 bytes, little-endian as loaded: `b7 00 00 00 00 00 00 00`.
    pub bytes: String,
    /// The opcode byte as the kernel prints it: `(b7)`.
    pub opcode: String,
    /// The kernel's disassembly without the opcode: `r0 = 0`; empty for the second slot of a
    /// 64-bit immediate load.
    pub text: String,
    /// The 1-based source line the slot came from.
    pub line: usize,
}

/// A program that assembled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    /// The first [`MAX_ROWS`] slots.
    pub rows: Vec<Row>,
    /// Every slot of the program, shown or not.
    pub slots: usize,
}

impl Listing {
    pub fn bytes(&self) -> usize {
        self.slots * 8
    }
    pub fn hidden(&self) -> usize {
        self.slots - self.rows.len()
    }
}

/// An assembly error with the text of its line, for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    pub error: AsmError,
    /// The source line the error is on (empty when past the end).
    pub source_line: String,
}

impl SourceError {
    /// The line padded so that a `^` after it points at the error's column (tabs kept).
    pub fn caret_padding(&self) -> String {
        self.source_line
            .chars()
            .take(self.error.col.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect()
    }

    /// The error's position as a UTF-16 offset into `src`, as the DOM's selection APIs count.
    pub fn utf16_offset(&self, src: &str) -> u32 {
        let mut offset = 0usize;
        for (i, line) in src.split('\n').enumerate() {
            if i + 1 == self.error.line {
                let col: usize =
                    line.chars().take(self.error.col.saturating_sub(1)).map(char::len_utf16).sum();
                return (offset + col) as u32;
            }
            offset += line.encode_utf16().count() + 1;
        }
        src.encode_utf16().count() as u32
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Listing(Listing),
    Error(SourceError),
}

impl Outcome {
    /// The 1-based line of the error, if assembly failed.
    pub fn error_line(&self) -> Option<usize> {
        match self {
            Outcome::Error(e) => Some(e.error.line),
            Outcome::Listing(_) => None,
        }
    }
}

/// Assembles `src` and lays out the result.
pub fn run(src: &str) -> Outcome {
    match assemble(src) {
        Ok(asm) => {
            let style = Style { opcode: false, ..Style::kernel() };
            let raw = asm.program.to_raw();
            let rows = asm
                .program
                .insns
                .iter()
                .zip(&raw)
                .zip(&asm.lines)
                .take(MAX_ROWS)
                .enumerate()
                .map(|(index, ((insn, raw), &line))| Row {
                    index,
                    bytes: bpfplay_core::hex::encode_spaced(&raw.to_bytes()),
                    opcode: format!("({:02x})", raw.code),
                    text: insn_text(insn, style, &asm.maps).unwrap_or_default(),
                    line,
                })
                .collect();
            Outcome::Listing(Listing { rows, slots: raw.len() })
        }
        Err(error) => {
            let source_line =
                src.split('\n').nth(error.line.saturating_sub(1)).unwrap_or("").to_string();
            Outcome::Error(SourceError { error, source_line })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::examples::STARTER;

    #[test]
    fn starter_assembles() {
        let Outcome::Listing(l) = run(STARTER) else { panic!("starter example does not assemble") };
        assert_eq!(l.rows[0].opcode, "(bf)");
        assert_eq!(l.rows[0].text, "r6 = r1");
        assert_eq!(l.rows[0].line, 5);
    }

    #[test]
    fn rows_show_bytes_and_kernel_text() {
        let Outcome::Listing(l) = run("r0 = *(u32 *)(r1 + 4)\nr1 = 0x123456789 ll\nexit") else {
            panic!()
        };
        assert_eq!(l.slots, 4);
        assert_eq!(l.rows[0].bytes, "61 10 04 00 00 00 00 00");
        assert_eq!(format!("{} {}", l.rows[0].opcode, l.rows[0].text), "(61) r0 = *(u32 *)(r1 +4)");
        assert_eq!(l.rows[2].text, "", "second slot of ld_imm64 has no text");
        assert_eq!(l.rows[3].opcode, "(95)");
        assert_eq!(l.rows[3].line, 3);
    }

    #[test]
    fn error_keeps_its_line() {
        let src = "r0 = 0\n\tr0 = é bad\nexit";
        let Outcome::Error(e) = run(src) else { panic!() };
        assert_eq!(e.error.line, 2);
        assert_eq!(e.source_line, "\tr0 = é bad");
        let pad = e.caret_padding();
        assert!(pad.starts_with('\t'));
        assert_eq!(pad.chars().count(), e.error.col - 1);
        assert_eq!(e.utf16_offset(src), 7 + e.error.col as u32 - 1);
    }
}
