//! Tiny big-endian reader/writer for the binary layouts (sealed key, activation
//! request). Every read is bounds-checked: a short input is an error, never a panic.

/// The input ended before the field being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Truncated;

pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Truncated> {
        let end = self.pos.checked_add(n).ok_or(Truncated)?;
        let out = self.buf.get(self.pos..end).ok_or(Truncated)?;
        self.pos = end;
        Ok(out)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], Truncated> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, Truncated> {
        Ok(self.array::<1>()?[0])
    }

    pub(crate) fn u32(&mut self) -> Result<u32, Truncated> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    pub(crate) fn i64(&mut self) -> Result<i64, Truncated> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    /// A byte string with a one-byte length prefix.
    pub(crate) fn bytes8(&mut self) -> Result<&'a [u8], Truncated> {
        let n = self.u8()? as usize;
        self.take(n)
    }
}

pub(crate) fn put_bytes8(out: &mut Vec<u8>, bytes: &[u8]) {
    // Callers validate lengths first; this guard keeps the layout honest anyway.
    debug_assert!(bytes.len() <= u8::MAX as usize);
    let n = bytes.len().min(u8::MAX as usize);
    out.push(n as u8);
    out.extend_from_slice(&bytes[..n]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_fields_and_refuses_short_input() {
        let mut buf = vec![1u8, 0, 0, 1, 0];
        put_bytes8(&mut buf, b"abc");
        let mut r = Reader::new(&buf);
        assert_eq!(r.u8(), Ok(1));
        assert_eq!(r.u32(), Ok(256));
        assert_eq!(r.bytes8(), Ok(&b"abc"[..]));
        assert_eq!(r.remaining(), 0);
        assert_eq!(r.u8(), Err(Truncated));
        let mut r = Reader::new(&[5u8, b'a']);
        assert_eq!(r.bytes8(), Err(Truncated));
    }

    proptest! {
        #[test]
        fn never_panics(buf in proptest::collection::vec(any::<u8>(), 0..64), ops in proptest::collection::vec(0u8..5, 0..20)) {
            let mut r = Reader::new(&buf);
            for op in ops {
                let _ = match op {
                    0 => r.u8().map(|_| ()),
                    1 => r.u32().map(|_| ()),
                    2 => r.i64().map(|_| ()),
                    3 => r.bytes8().map(|_| ()),
                    _ => r.take(usize::MAX).map(|_| ()),
                };
                prop_assert!(r.position() <= buf.len());
            }
        }
    }
}
