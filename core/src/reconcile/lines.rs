//! Line numbers as an editor shows them, for CSV files with LF or CRLF endings, a BOM, or quoted newlines.
//!
//! The csv crate's `Position::line()` runs one low for CRLF files, so the
//! reader is wrapped: it notes where each `\n` falls as bytes stream past, and
//! a record's line is one more than the newlines before its first byte.

use std::collections::VecDeque;
use std::io::Read;

pub(crate) struct Lines<R> {
    inner: R,
    offset: u64,
    /// Offsets of newlines read ahead but not yet passed by a record.
    ahead: VecDeque<u64>,
    passed: u64,
}

impl<R: Read> Lines<R> {
    pub fn new(inner: R) -> Self {
        Lines { inner, offset: 0, ahead: VecDeque::new(), passed: 0 }
    }

    /// The 1-based line of the record starting at `offset`. Offsets only grow.
    /// After a CRLF the csv crate starts the next record *at* the `\n`, so a
    /// newline at the offset itself belongs to the line before (a record never
    /// starts with a newline of its own: blank lines are skipped).
    pub fn line_at(&mut self, offset: u64) -> u64 {
        while self.ahead.front().is_some_and(|&nl| nl <= offset) {
            self.ahead.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let base = self.offset;
        self.ahead
            .extend(buf[..n].iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| base + i as u64));
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str) -> Vec<u64> {
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(Lines::new(text.as_bytes()));
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            let at = rec.position().unwrap().byte();
            out.push(rdr.get_mut().line_at(at));
        }
        out
    }

    #[test]
    fn lines_are_the_editors_for_every_ending() {
        assert_eq!(lines_of("a,b\n1,2\n3,4\n"), [2, 3]);
        assert_eq!(lines_of("a,b\r\n1,2\r\n3,4\r\n"), [2, 3]);
        assert_eq!(lines_of("\u{feff}a,b\r\n1,2\r\n3,4"), [2, 3]);
        assert_eq!(lines_of("a,b\r\n\"x\r\ny\",2\r\n3,4\r\n"), [2, 4]);
        assert_eq!(lines_of("a,b\n\"x\ny\nz\",2\n3,4\n"), [2, 5]);
    }
}
