//! Line numbers of CSV records as an editor shows them.
//!
//! The csv crate's `Position::line()` of a record is not the line the record starts on: the
//! position is taken where the previous record's terminator ended, and the parser only skips
//! what follows (blank lines, the `\n` of a CRLF) once it reads the next record. In a CRLF
//! file (every Excel/WPS export) each record was therefore one line early, and a record
//! below a blank line got the blank line's number. It also counts only `\n`, so a file with
//! classic Mac line ends (lone `\r`, Excel for Mac's "CSV (Macintosh)") is all "line 1".
//!
//! [`LineBreaks`] sits between the file and the parser and remembers where the line breaks
//! are; a record's start offset (exact in the csv position) then gives its line. Breaks are
//! forgotten once a record starts past them, so memory stays bounded by the parser's buffer.

use std::collections::VecDeque;
use std::io::Read;

pub(crate) struct LineBreaks<R> {
    inner: R,
    /// Bytes handed to the parser so far.
    read: u64,
    /// Offsets and bytes of the CRs and LFs not yet passed.
    pending: VecDeque<(u64, u8)>,
    /// Line breaks wholly before `pending`.
    passed: u64,
}

impl<R: Read> Read for LineBreaks<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for i in memchr::memchr2_iter(b'\r', b'\n', &buf[..n]) {
            self.pending.push_back((self.read + i as u64, buf[i]));
        }
        self.read += n as u64;
        Ok(n)
    }
}

impl<R> LineBreaks<R> {
    pub(crate) fn new(inner: R) -> Self {
        LineBreaks {
            inner,
            read: 0,
            pending: VecDeque::new(),
            passed: 0,
        }
    }

    /// The 1-based line of a record whose parse began at byte `start`. The parser skips CRs
    /// and LFs before a record, so the record's first byte is the first other byte.
    /// Calls must come with non-decreasing `start`.
    pub(crate) fn line_of(&mut self, start: u64) -> u64 {
        self.pass_before(start);
        let mut first = start;
        for (offset, _) in &self.pending {
            if *offset != first {
                break;
            }
            first += 1;
        }
        self.pass_before(first);
        self.passed + 1
    }

    /// Counts and forgets the breaks before `offset`; CRLF is one break, a lone CR is one.
    fn pass_before(&mut self, offset: u64) {
        while let Some(&(at, byte)) = self.pending.front() {
            if at >= offset {
                break;
            }
            self.pending.pop_front();
            let crlf = byte == b'\r' && self.pending.front() == Some(&(at + 1, b'\n'));
            if !crlf {
                self.passed += 1;
            }
        }
    }
}

/// Line breaks inside one field (a quoted cell written on several lines).
pub(crate) fn breaks_in(field: &[u8]) -> u64 {
    memchr::memchr2_iter(b'\r', b'\n', field)
        // The LF of a CRLF was already counted with its CR.
        .filter(|&i| !(field[i] == b'\n' && i > 0 && field[i - 1] == b'\r'))
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The start line of every record, as the csv reader sees the text.
    fn record_lines(text: &[u8]) -> Vec<u64> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(LineBreaks::new(text));
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            let start = rec.position().unwrap().byte();
            out.push(rdr.get_mut().line_of(start));
        }
        out
    }

    #[test]
    fn every_line_end_counts_once() {
        assert_eq!(record_lines(b"h\na\nb\n"), [1, 2, 3]);
        assert_eq!(record_lines(b"h\r\na\r\nb\r\n"), [1, 2, 3]);
        assert_eq!(record_lines(b"h\ra\rb"), [1, 2, 3]);
        // After `a`: LF, then a lone CR (an empty line 5), then `b` on line 6.
        assert_eq!(record_lines(b"h\r\n\r\n\na\n\rb"), [1, 4, 6]);
        assert_eq!(record_lines(b"\n\nh\na"), [3, 4]);
    }

    #[test]
    fn quoted_line_breaks_are_lines_of_the_file() {
        assert_eq!(record_lines(b"h\n\"x\r\ny\",1\nb\n"), [1, 2, 4]);
        assert_eq!(record_lines(b"h\n\"x\n\n\ny\"\nb"), [1, 2, 6]);
    }

    #[test]
    fn breaks_in_fields() {
        assert_eq!(breaks_in(b"abc"), 0);
        assert_eq!(breaks_in(b"a\r\nb\nc\rd"), 3);
        assert_eq!(breaks_in(b"\n\n"), 2);
        assert_eq!(breaks_in(b"\r\r\n"), 2);
    }

    #[test]
    fn memory_stays_bounded() {
        let mut text = Vec::new();
        for i in 0..200_000 {
            text.extend_from_slice(format!("{i},x\r\n").as_bytes());
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(LineBreaks::new(&text[..]));
        let mut rec = csv::ByteRecord::new();
        let mut line = 0;
        while rdr.read_byte_record(&mut rec).unwrap() {
            let start = rec.position().unwrap().byte();
            line = rdr.get_mut().line_of(start);
            assert!(rdr.get_ref().pending.len() < 40_000);
        }
        assert_eq!(line, 200_000);
    }
}
