//! Byte reading/writing shared by the certificate, token and revocation list.

use crate::error::PermitError;
use time::Date;

/// Day 0 of validity dates: 2020-01-01 (u16 reaches 2199).
pub const VALIDITY_EPOCH: Date = time::macros::date!(2020 - 01 - 01);
/// Day 0 of dates of birth: 1900-01-01 (u16 reaches 2079).
pub const BIRTH_EPOCH: Date = time::macros::date!(1900 - 01 - 01);

pub(crate) fn day_number(date: Date, epoch: Date, field: &'static str) -> Result<u16, PermitError> {
    let n = date.to_julian_day() - epoch.to_julian_day();
    u16::try_from(n).map_err(|_| PermitError::DateOutOfRange(field))
}

pub(crate) fn date_from_day(n: u16, epoch: Date, field: &'static str) -> Result<Date, PermitError> {
    Date::from_julian_day(epoch.to_julian_day() + i32::from(n))
        .map_err(|_| PermitError::BadField(field))
}

pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn slice_from(&self, start: usize) -> &'a [u8] {
        self.bytes.get(start..self.pos).unwrap_or(&[])
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub(crate) fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], PermitError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(PermitError::Truncated(what))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub(crate) fn array<const N: usize>(
        &mut self,
        what: &'static str,
    ) -> Result<[u8; N], PermitError> {
        let s = self.take(N, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, PermitError> {
        Ok(self.array::<1>(what)?[0])
    }

    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, PermitError> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    pub(crate) fn u24(&mut self, what: &'static str) -> Result<u32, PermitError> {
        let [a, b, c] = self.array(what)?;
        Ok(u32::from_be_bytes([0, a, b, c]))
    }

    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32, PermitError> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    pub(crate) fn u64(&mut self, what: &'static str) -> Result<u64, PermitError> {
        Ok(u64::from_be_bytes(self.array(what)?))
    }

    /// u8 length, then that many bytes.
    pub(crate) fn short_bytes(&mut self, what: &'static str) -> Result<&'a [u8], PermitError> {
        let n = self.u8(what)?;
        self.take(usize::from(n), what)
    }

    pub(crate) fn finish(&self) -> Result<(), PermitError> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(PermitError::TrailingBytes(n)),
        }
    }
}

pub(crate) fn put_u24(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_be_bytes()[1..]);
}

pub(crate) fn put_short_bytes(
    out: &mut Vec<u8>,
    bytes: &[u8],
    field: &'static str,
) -> Result<(), PermitError> {
    let n = u8::try_from(bytes.len()).map_err(|_| PermitError::TextTooLong {
        field,
        len: bytes.len(),
        max: 255,
    })?;
    out.push(n);
    out.extend_from_slice(bytes);
    Ok(())
}
