//! MSB-first bit packing for the compact text code.

pub(crate) struct BitWriter {
    bytes: Vec<u8>,
    /// Bits used in the last byte (0 = the last byte is full or there is none).
    used: u8,
}

impl BitWriter {
    pub(crate) fn new() -> Self {
        BitWriter {
            bytes: Vec::new(),
            used: 0,
        }
    }

    pub(crate) fn push(&mut self, value: u32, width: u8) {
        for i in (0..width).rev() {
            let bit = ((value >> i) & 1) as u8;
            if self.used == 0 {
                self.bytes.push(0);
            }
            if let Some(last) = self.bytes.last_mut() {
                *last |= bit << (7 - self.used);
            }
            self.used = (self.used + 1) % 8;
        }
    }

    /// Pads with 1 bits to a byte boundary (the decoder recognises the padding
    /// because no code that fits in fewer than 8 bits is all ones).
    pub(crate) fn finish(mut self) -> Vec<u8> {
        if self.used != 0 {
            let pad = 8 - self.used;
            if let Some(last) = self.bytes.last_mut() {
                *last |= (1u8 << pad) - 1;
            }
            self.used = 0;
        }
        self.bytes
    }
}

pub(crate) struct BitReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> BitReader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        BitReader { bytes, pos: 0 }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() * 8 - self.pos
    }

    /// True when what is left is only the all-ones padding.
    pub(crate) fn at_padding(&self) -> bool {
        let rem = self.remaining();
        if rem >= 8 {
            return false;
        }
        (self.pos..self.bytes.len() * 8).all(|p| self.bit(p) == 1)
    }

    fn bit(&self, p: usize) -> u32 {
        let byte = self.bytes.get(p / 8).copied().unwrap_or(0);
        u32::from((byte >> (7 - (p % 8))) & 1)
    }

    pub(crate) fn read(&mut self, width: u8) -> Option<u32> {
        if self.remaining() < usize::from(width) {
            return None;
        }
        let mut v = 0u32;
        for _ in 0..width {
            v = (v << 1) | self.bit(self.pos);
            self.pos += 1;
        }
        Some(v)
    }
}
