//! A small streaming XML reader for the parts of an .xlsx package, in
//! bounded memory whatever the input: text comes in chunks of at most
//! [`TEXT_CHUNK`] bytes (a 190 MB cell is never held whole), a tag may not
//! exceed [`MAX_TAG`] bytes. quick-xml would hand a text node over whole.
//!
//! Enough of XML for SpreadsheetML: elements, attributes, the predefined and
//! numeric entities, CDATA; comments, processing instructions and DOCTYPE
//! are skipped (no entity is ever defined or expanded from them).

use std::borrow::Cow;
use std::io::BufRead;

/// Most bytes of text handed over at once.
pub(crate) const TEXT_CHUNK: usize = 64 * 1024;
/// Most bytes of one tag with its attributes (real tags are short; a
/// selection's `sqref` can list a few hundred ranges).
const MAX_TAG: usize = 1 << 20;

pub(crate) enum Event<'a> {
    /// An opening tag (an empty-element tag is followed by its `End`).
    Start(Tag<'a>),
    /// A closing tag's local name.
    End(&'a [u8]),
    /// A chunk of text, entities decoded (may cut a UTF-8 character).
    Text(&'a [u8]),
    Eof,
}

/// What went wrong, for `list.corrupt`.
#[derive(Debug)]
pub(crate) struct XmlError(pub String);

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(s: &str) -> Result<T, XmlError> {
    Err(XmlError(s.to_string()))
}

/// An opening tag: its bytes between `<` and `>` (without a final `/`).
pub(crate) struct Tag<'a> {
    raw: &'a [u8],
}

fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

impl<'a> Tag<'a> {
    pub(crate) fn name(&self) -> &'a [u8] {
        let end = self
            .raw
            .iter()
            .position(|&b| is_space(b))
            .unwrap_or(self.raw.len());
        local(&self.raw[..end])
    }

    /// The value of the attribute whose local name is `key`, decoded.
    pub(crate) fn attr(&self, key: &[u8]) -> Option<Cow<'a, str>> {
        self.attr_full(|name| local(name) == key)
    }

    /// The value of the attribute named exactly `key` (with its prefix).
    pub(crate) fn attr_exact(&self, key: &[u8]) -> Option<Cow<'a, str>> {
        self.attr_full(|name| name == key)
    }

    fn attr_full(&self, want: impl Fn(&[u8]) -> bool) -> Option<Cow<'a, str>> {
        let b = self.raw;
        let mut i = b.iter().position(|&c| is_space(c))?;
        loop {
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            let start = i;
            while i < b.len() && b[i] != b'=' && !is_space(b[i]) {
                i += 1;
            }
            let name = &b[start..i];
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            if name.is_empty() || b.get(i) != Some(&b'=') {
                return None;
            }
            i += 1;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            let q = *b.get(i)?;
            if q != b'"' && q != b'\'' {
                return None;
            }
            let vstart = i + 1;
            let vend = vstart + b[vstart..].iter().position(|&c| c == q)?;
            if want(name) {
                let raw = &b[vstart..vend];
                if !raw.contains(&b'&') {
                    return Some(String::from_utf8_lossy(raw));
                }
                let mut out = Vec::new();
                decode_entities(raw, &mut out);
                return Some(Cow::Owned(String::from_utf8_lossy(&out).into_owned()));
            }
            i = vend + 1;
        }
    }
}

/// Appends `raw` with its entities decoded; an unknown entity stays as is.
fn decode_entities(raw: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'&' {
            if let Some(len) = raw[i..].iter().take(12).position(|&c| c == b';') {
                if let Some(c) = entity(&raw[i + 1..i + len]) {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    i += len + 1;
                    continue;
                }
            }
        }
        out.push(raw[i]);
        i += 1;
    }
}

fn entity(name: &[u8]) -> Option<char> {
    Some(match name {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"quot" => '"',
        b"apos" => '\'',
        [b'#', b'x' | b'X', hex @ ..] => {
            char::from_u32(u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?)?
        }
        [b'#', dec @ ..] => char::from_u32(std::str::from_utf8(dec).ok()?.parse().ok()?)?,
        _ => return None,
    })
}

pub(crate) struct Reader<R: BufRead> {
    r: R,
    buf: Vec<u8>,
    /// The element of an empty-element tag, still to be closed.
    pending_end: bool,
    in_cdata: bool,
    /// `]` seen at the end of CDATA text, not yet known to be text.
    brackets: usize,
}

impl<R: BufRead> Reader<R> {
    pub(crate) fn new(r: R) -> Reader<R> {
        Reader {
            r,
            buf: Vec::new(),
            pending_end: false,
            in_cdata: false,
            brackets: 0,
        }
    }

    fn peek(&mut self) -> Result<Option<u8>, XmlError> {
        let b = self.r.fill_buf().map_err(|e| XmlError(e.to_string()))?;
        Ok(b.first().copied())
    }

    /// Skips past `end` (comments, processing instructions).
    fn skip_past(&mut self, end: &[u8]) -> Result<(), XmlError> {
        let mut matched = 0;
        loop {
            let b = self.r.fill_buf().map_err(|e| XmlError(e.to_string()))?;
            if b.is_empty() {
                return err("tệp XML bị cắt cụt");
            }
            let mut used = 0;
            for &c in b {
                used += 1;
                if c == end[matched] {
                    matched += 1;
                    if matched == end.len() {
                        self.r.consume(used);
                        return Ok(());
                    }
                } else {
                    matched = usize::from(c == end[0]);
                }
            }
            self.r.consume(used);
        }
    }

    /// Reads a tag after its `<` into `buf`, up to its `>` (outside quotes).
    fn read_tag(&mut self) -> Result<(), XmlError> {
        self.buf.clear();
        let mut quote = 0u8;
        loop {
            let b = self.r.fill_buf().map_err(|e| XmlError(e.to_string()))?;
            if b.is_empty() {
                return err("tệp XML bị cắt cụt");
            }
            let mut used = 0;
            let mut done = false;
            for &c in b {
                used += 1;
                if quote != 0 {
                    if c == quote {
                        quote = 0;
                    }
                } else if c == b'"' || c == b'\'' {
                    quote = c;
                } else if c == b'>' {
                    done = true;
                    break;
                }
            }
            let take = if done { used - 1 } else { used };
            self.buf.extend_from_slice(&b[..take]);
            self.r.consume(used);
            if done {
                return Ok(());
            }
            if self.buf.len() > MAX_TAG {
                return err("thẻ XML dài bất thường");
            }
        }
    }

    /// Reads text up to the next `<` (or `]]>` in CDATA), at most a chunk.
    fn read_text(&mut self) -> Result<(), XmlError> {
        self.buf.clear();
        let mut raw = Vec::new();
        let cdata = self.in_cdata;
        loop {
            let b = self.r.fill_buf().map_err(|e| XmlError(e.to_string()))?;
            if b.is_empty() {
                if cdata {
                    return err("tệp XML bị cắt cụt");
                }
                break;
            }
            if cdata {
                // Copy, holding back up to two `]` that may start `]]>`.
                let (mut used, mut done) = (0, false);
                for &c in b {
                    used += 1;
                    match c {
                        b']' if self.brackets < 2 => self.brackets += 1,
                        b']' => self.buf.push(b']'),
                        b'>' if self.brackets == 2 => {
                            done = true;
                            break;
                        }
                        _ => {
                            self.buf.extend(std::iter::repeat_n(b']', self.brackets));
                            self.brackets = 0;
                            self.buf.push(c);
                        }
                    }
                }
                self.r.consume(used);
                if done {
                    self.brackets = 0;
                    self.in_cdata = false;
                    return Ok(());
                }
                if self.buf.len() >= TEXT_CHUNK {
                    return Ok(());
                }
                continue;
            }
            let stop = b.iter().position(|&c| c == b'<');
            let end = stop
                .unwrap_or(b.len())
                .min(TEXT_CHUNK - raw.len().min(TEXT_CHUNK));
            raw.extend_from_slice(&b[..end]);
            self.r.consume(end);
            if stop.is_some_and(|s| s == end) || raw.len() >= TEXT_CHUNK {
                break;
            }
        }
        // An entity cut by the chunk end: read on to its `;`.
        if let Some(amp) = raw.iter().rposition(|&c| c == b'&') {
            if !raw[amp..].contains(&b';') && raw.len() - amp < 12 {
                while raw.len() - amp < 12 {
                    match self.peek()? {
                        Some(c) if c != b'<' => {
                            raw.push(c);
                            self.r.consume(1);
                            if c == b';' {
                                break;
                            }
                        }
                        _ => break,
                    }
                }
            }
        }
        decode_entities(&raw, &mut self.buf);
        Ok(())
    }

    pub(crate) fn next(&mut self) -> Result<Event<'_>, XmlError> {
        if self.pending_end {
            self.pending_end = false;
            return Ok(Event::End(Tag { raw: &self.buf }.name()));
        }
        loop {
            if self.in_cdata {
                self.read_text()?;
                if self.buf.is_empty() {
                    continue;
                }
                return Ok(Event::Text(&self.buf));
            }
            match self.peek()? {
                None => return Ok(Event::Eof),
                Some(b'<') => self.r.consume(1),
                Some(_) => {
                    self.read_text()?;
                    return Ok(Event::Text(&self.buf));
                }
            }
            match self.peek()? {
                Some(b'?') => self.skip_past(b"?>")?,
                Some(b'!') => {
                    self.r.consume(1);
                    match self.peek()? {
                        Some(b'-') => self.skip_past(b"-->")?,
                        Some(b'[') => {
                            self.skip_past(b"CDATA[")?;
                            self.in_cdata = true;
                        }
                        // DOCTYPE: skipped, its declarations ignored.
                        _ => self.skip_past(b">")?,
                    }
                }
                Some(b'/') => {
                    self.r.consume(1);
                    self.read_tag()?;
                    let n = self
                        .buf
                        .iter()
                        .position(|&b| is_space(b))
                        .unwrap_or(self.buf.len());
                    return Ok(Event::End(local(&self.buf[..n])));
                }
                Some(_) => {
                    self.read_tag()?;
                    if self.buf.last() == Some(&b'/') {
                        self.buf.pop();
                        self.pending_end = true;
                    }
                    return Ok(Event::Start(Tag { raw: &self.buf }));
                }
                None => return err("tệp XML bị cắt cụt"),
            }
        }
    }

    /// Skips the rest of the element just opened (its end tag included).
    pub(crate) fn skip_element(&mut self) -> Result<(), XmlError> {
        let mut depth = 1usize;
        loop {
            match self.next()? {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::Text(_) => {}
                Event::Eof => return err("tệp XML bị cắt cụt"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(xml: &[u8]) -> Vec<String> {
        // A tiny buffer, so chunk and buffer edges are crossed.
        let mut r = Reader::new(std::io::BufReader::with_capacity(5, xml));
        let mut out = Vec::new();
        let mut text = Vec::new();
        loop {
            let e = r.next().expect("xml");
            if !matches!(e, Event::Text(_)) && !text.is_empty() {
                out.push(format!("text {}", String::from_utf8_lossy(&text)));
                text.clear();
            }
            match e {
                Event::Start(t) => out.push(format!(
                    "start {} r={:?}",
                    String::from_utf8_lossy(t.name()),
                    t.attr(b"r").map(|v| v.into_owned())
                )),
                Event::End(n) => out.push(format!("end {}", String::from_utf8_lossy(n))),
                Event::Text(t) => text.extend_from_slice(t),
                Event::Eof => return out,
            }
        }
    }

    #[test]
    fn elements_attributes_entities_cdata() {
        let got = events(
            b"<?xml version=\"1.0\"?><!-- c --><x:a r='1&amp;2' q=\"a>b\"><b/>T&lt;&#x1EC5;&#233;&bad;<![CDATA[<c>]]]></x:a>",
        );
        assert_eq!(
            got,
            [
                "start a r=Some(\"1&2\")",
                "start b r=None",
                "end b",
                "text T<ễé&bad;<c>]",
                "end a"
            ]
        );
    }

    #[test]
    fn long_text_comes_in_chunks() {
        let mut xml = b"<t>".to_vec();
        xml.extend(std::iter::repeat_n(b'a', 3 * TEXT_CHUNK + 7));
        xml.extend_from_slice(b"&amp;</t>");
        let mut r = Reader::new(std::io::BufReader::new(&xml[..]));
        let mut total = 0;
        let mut biggest = 0;
        loop {
            match r.next().unwrap() {
                Event::Text(t) => {
                    total += t.len();
                    biggest = biggest.max(t.len());
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(total, 3 * TEXT_CHUNK + 8);
        assert!(biggest <= TEXT_CHUNK + 12, "{biggest}");
    }

    #[test]
    fn broken_xml_is_an_error_not_a_hang() {
        let mut r = Reader::new(std::io::BufReader::new(&b"<a b=\"x"[..]));
        assert!(r.next().is_err());
        let mut r = Reader::new(std::io::BufReader::new(&b"<!-- never closed"[..]));
        assert!(r.next().is_err());
    }
}
