//! Getting text out of an export file: the encoding (BOM sniffing, UTF-16 from Excel's
//! "Unicode Text", Windows-1252 from Excel's plain CSV), the delimiter, and the header.
//!
//! Files are streamed: nothing here holds more than a buffer of the file at a time.

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use sha2::{Digest, Sha256};

/// How much of the file is looked at to decide its encoding and shape.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The longest line a real export writes is a few kilobytes; a longer one means the file is not
/// an export (or is damaged), and reading on would only hold it in memory.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl TextEncoding {
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16 LE",
            TextEncoding::Utf16Be => "UTF-16 BE",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
    fn encoding(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 => UTF_8,
            TextEncoding::Utf16Le => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
            TextEncoding::Windows1252 => WINDOWS_1252,
        }
    }
}

/// Why the file's first bytes are not text.
#[derive(Debug)]
pub enum SniffError {
    Empty,
    Binary { offset: usize },
}

/// Decides the encoding from the BOM, else from the bytes themselves.
pub fn sniff_encoding(head: &[u8]) -> Result<TextEncoding, SniffError> {
    if head.is_empty() {
        return Err(SniffError::Empty);
    }
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(TextEncoding::Utf8);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Ok(TextEncoding::Utf16Le);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Ok(TextEncoding::Utf16Be);
    }
    if let Some(offset) = head.iter().position(|b| *b == 0) {
        // UTF-16 without a BOM: ASCII text with every other byte zero.
        let pairs = head.len() / 2;
        let zeros_odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
        let zeros_even = head.iter().step_by(2).filter(|b| **b == 0).count();
        if pairs > 0 && zeros_odd * 10 >= pairs * 9 && zeros_even == 0 {
            return Ok(TextEncoding::Utf16Le);
        }
        if pairs > 0 && zeros_even * 10 >= pairs * 9 && zeros_odd == 0 {
            return Ok(TextEncoding::Utf16Be);
        }
        return Err(SniffError::Binary { offset });
    }
    match std::str::from_utf8(head) {
        Ok(_) => Ok(TextEncoding::Utf8),
        // A multi-byte character cut at the end of the sniffed part is still UTF-8.
        Err(e) if e.error_len().is_none() => Ok(TextEncoding::Utf8),
        Err(e) => {
            let bad = head[e.valid_up_to()];
            // Control bytes other than tab/CR/LF do not occur in Windows-1252 text exports.
            if bad < 0x80 || head.iter().any(|b| *b < 0x09 || (0x0E..0x20).contains(b)) {
                Err(SniffError::Binary {
                    offset: e.valid_up_to(),
                })
            } else {
                Ok(TextEncoding::Windows1252)
            }
        }
    }
}

/// Counts the bytes read from the file (for progress) and hashes them (for the import record),
/// so the file is read once.
pub struct TapReader<R> {
    inner: R,
    count: Rc<Cell<u64>>,
    hasher: Rc<RefCell<Sha256>>,
}

impl<R: Read> Read for TapReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        self.hasher.borrow_mut().update(&buf[..n]);
        Ok(n)
    }
}

/// Turns any supported encoding into UTF-8, a buffer at a time; the BOM is dropped.
pub struct Utf8Reader<R> {
    inner: R,
    decoder: Option<Decoder>,
    raw: Vec<u8>,
    raw_len: usize,
    out: Vec<u8>,
    out_pos: usize,
    out_len: usize,
    eof: bool,
}

impl<R: Read> Utf8Reader<R> {
    pub fn new(inner: R, encoding: TextEncoding) -> Self {
        Utf8Reader {
            inner,
            // UTF-8 needs no decoding; its BOM is skipped in `read`.
            decoder: (encoding != TextEncoding::Utf8)
                .then(|| encoding.encoding().new_decoder_with_bom_removal()),
            raw: vec![0; 64 * 1024],
            raw_len: 0,
            out: vec![0; 3 * 64 * 1024 + 16],
            out_pos: 0,
            out_len: 0,
            eof: false,
        }
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(decoder) = self.decoder.as_mut() else {
            return self.inner.read(buf);
        };
        while self.out_pos == self.out_len {
            if self.eof && self.raw_len == 0 {
                return Ok(0);
            }
            if !self.eof && self.raw_len < self.raw.len() {
                let n = self.inner.read(&mut self.raw[self.raw_len..])?;
                if n == 0 {
                    self.eof = true;
                }
                self.raw_len += n;
            }
            let (_, read, written, _) =
                decoder.decode_to_utf8(&self.raw[..self.raw_len], &mut self.out, self.eof);
            self.raw.copy_within(read..self.raw_len, 0);
            self.raw_len -= read;
            self.out_pos = 0;
            self.out_len = written;
            if self.eof && read == 0 && written == 0 {
                self.raw_len = 0;
            }
        }
        let n = buf.len().min(self.out_len - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// A UTF-8 text stream of the file (BOM removed) and a handle on how many bytes were read.
pub struct OpenedText {
    pub reader: Box<dyn Read>,
    pub bytes_read: Rc<Cell<u64>>,
    pub hasher: Rc<RefCell<Sha256>>,
}

impl OpenedText {
    /// Reads what is left (so that the hash covers the whole file) and returns the SHA-256.
    pub fn finish(mut self) -> io::Result<String> {
        io::copy(&mut self.reader, &mut io::sink())?;
        drop(self.reader);
        let hasher = Rc::try_unwrap(self.hasher)
            .map(RefCell::into_inner)
            .unwrap_or_else(|rc| rc.borrow().clone());
        Ok(hex::encode(hasher.finalize()))
    }
}

/// Opens the file as UTF-8 text in the encoding sniffed from its first bytes.
pub fn open_text(path: &Path, encoding: TextEncoding) -> io::Result<OpenedText> {
    let file = File::open(path)?;
    let count = Rc::new(Cell::new(0));
    let hasher = Rc::new(RefCell::new(Sha256::new()));
    let counting = TapReader {
        inner: file,
        count: Rc::clone(&count),
        hasher: Rc::clone(&hasher),
    };
    let mut buffered = BufReader::with_capacity(256 * 1024, counting);
    if encoding == TextEncoding::Utf8 {
        // Skip a UTF-8 BOM so that the first header is not "\u{feff}Incident name".
        let head = io::BufRead::fill_buf(&mut buffered)?;
        if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            io::BufRead::consume(&mut buffered, 3);
        }
    }
    Ok(OpenedText {
        reader: Box::new(Utf8Reader::new(buffered, encoding)),
        bytes_read: count,
        hasher,
    })
}

/// Reads up to `limit` bytes from the start of the file.
pub fn read_head(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(limit.min(1 << 20));
    File::open(path)?
        .take(limit as u64)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// The first `limit` bytes decoded as text (BOM removed), for detecting the shape.
pub fn decode_head(head: &[u8], encoding: TextEncoding) -> String {
    let (text, _, _) = encoding.encoding().decode(head);
    text.trim_start_matches('\u{feff}').to_owned()
}

/// The delimiter of a CSV header line: the most frequent of comma, tab and semicolon outside
/// quotes (Excel's "Unicode Text" uses tabs, some locales semicolons).
pub fn sniff_delimiter(first_line: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in first_line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], 3 - i)).unwrap_or(0);
    [b',', b'\t', b';'][best]
}

/// A column name as the detector compares it: lower case, without ` [UTC]`-style suffixes,
/// quotes or surrounding space, with runs of space collapsed.
pub fn normalise_header(name: &str) -> String {
    let mut n = name
        .trim()
        .trim_matches('\u{feff}')
        .trim_matches('"')
        .trim();
    if let Some(open) = n.rfind(" [") {
        if n.ends_with(']') {
            n = n[..open].trim_end();
        }
    }
    let mut out = String::with_capacity(n.len());
    let mut space = false;
    for c in n.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Column positions by normalised name.
#[derive(Debug, Clone)]
pub struct HeaderIndex {
    pub names: Vec<String>,
    pub normalised: Vec<String>,
}

impl HeaderIndex {
    pub fn new(names: Vec<String>) -> Self {
        let normalised = names.iter().map(|n| normalise_header(n)).collect();
        HeaderIndex { names, normalised }
    }

    /// The first column named any of `names` (already normalised).
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|want| self.normalised.iter().position(|n| n == want))
    }

    pub fn has(&self, name: &str) -> bool {
        self.normalised.iter().any(|n| n == name)
    }

    /// The header as the saved column mappings key it: order and spelling-insensitive.
    pub fn key(&self) -> String {
        let mut names: Vec<&str> = self.normalised.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.join("\u{1f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_encodings() {
        assert_eq!(
            sniff_encoding(b"\xEF\xBB\xBFa,b").unwrap(),
            TextEncoding::Utf8
        );
        assert_eq!(
            sniff_encoding(b"\xFF\xFEa\0b\0").unwrap(),
            TextEncoding::Utf16Le
        );
        assert_eq!(sniff_encoding(b"a\0,\0b\0").unwrap(), TextEncoding::Utf16Le);
        assert_eq!(
            sniff_encoding(b"caf\xE9,b\n").unwrap(),
            TextEncoding::Windows1252
        );
        assert!(matches!(
            sniff_encoding(b"\x7fELF\x02\x01\x01\0\0\0\0"),
            Err(SniffError::Binary { .. })
        ));
        assert!(matches!(sniff_encoding(b""), Err(SniffError::Empty)));
    }

    #[test]
    fn normalises_headers() {
        assert_eq!(
            normalise_header("\u{feff}TimeGenerated [UTC]"),
            "timegenerated"
        );
        assert_eq!(normalise_header("  Incident   Id "), "incident id");
        assert_eq!(sniff_delimiter("a\tb\tc,d"), b'\t');
        assert_eq!(sniff_delimiter("\"a,b\";c;d"), b';');
    }
}
