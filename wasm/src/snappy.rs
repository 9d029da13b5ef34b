//! Snappy as Kafka uses it. The block codec is the `snap` crate; only the
//! xerial framing of snappy-java's `SnappyOutputStream` is here: a 16-byte
//! header (magic, version 1, compatible version 1) followed by blocks, each an
//! int32 big-endian length and one raw snappy block of at most 32 KiB of input.
//!
//! Readers accept xerial framing (the Java client) and raw snappy (librdkafka,
//! franz-go), as the Java reader does.

use crate::buf::OutBuf;
use crate::error::{Error, Result};

pub const XERIAL_MAGIC: [u8; 8] = [0x82, b'S', b'N', b'A', b'P', b'P', b'Y', 0];
const XERIAL_HEADER: [u8; 16] = [0x82, b'S', b'N', b'A', b'P', b'P', b'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1];
const XERIAL_BLOCK: usize = 32 * 1024;

/// Snappy encoder state (its hash table) kept across calls.
pub struct Snappy {
    enc: snap::raw::Encoder,
    dec: snap::raw::Decoder,
}

impl Default for Snappy {
    fn default() -> Self {
        Snappy { enc: snap::raw::Encoder::new(), dec: snap::raw::Decoder::new() }
    }
}

impl Snappy {
    /// Appends raw snappy (one block) to `out`.
    pub fn compress_raw(&mut self, src: &[u8], out: &mut OutBuf) -> Result<()> {
        out.reserve(snap::raw::max_compress_len(src.len()))?;
        let n = self.enc.compress(src, out.spare()).map_err(|_| Error::corrupt("snappy: input too large"))?;
        out.advance(n);
        Ok(())
    }

    /// Appends a xerial-framed stream (what the Java producer writes) to `out`.
    pub fn compress_xerial(&mut self, src: &[u8], out: &mut OutBuf) -> Result<()> {
        let blocks = src.len().div_ceil(XERIAL_BLOCK);
        out.reserve(16 + blocks * (4 + snap::raw::max_compress_len(XERIAL_BLOCK)))?;
        out.extend(&XERIAL_HEADER)?;
        for chunk in src.chunks(XERIAL_BLOCK) {
            let spare = out.spare();
            let n = self.enc.compress(chunk, &mut spare[4..]).map_err(|_| Error::corrupt("snappy: input too large"))?;
            spare[..4].copy_from_slice(&(n as u32).to_be_bytes());
            out.advance(4 + n);
        }
        Ok(())
    }

    /// Appends the decompressed content of raw or xerial-framed snappy to `out`.
    pub fn decompress(&mut self, src: &[u8], out: &mut OutBuf, limit: usize) -> Result<()> {
        if src.len() >= 16 && src[..8] == XERIAL_MAGIC {
            self.decompress_xerial(src, out, limit)
        } else {
            self.decompress_raw(src, out, limit)
        }
    }

    fn decompress_raw(&mut self, src: &[u8], out: &mut OutBuf, limit: usize) -> Result<()> {
        let n = snap::raw::decompress_len(src).map_err(|_| Error::corrupt("snappy: invalid block header"))?;
        if n > limit.saturating_sub(out.len()) {
            return Err(Error::too_large());
        }
        out.reserve(n)?;
        let written = self
            .dec
            .decompress(src, &mut out.spare()[..n])
            .map_err(|_| Error::corrupt("snappy: invalid compressed block"))?;
        out.advance(written);
        Ok(())
    }

    fn decompress_xerial(&mut self, src: &[u8], out: &mut OutBuf, limit: usize) -> Result<()> {
        let mut p = 16;
        while p < src.len() {
            // A concatenated stream repeats the header where a block length would be.
            if src.len() - p >= 16 && src[p..p + 8] == XERIAL_MAGIC {
                p += 16;
                continue;
            }
            let len = match src.get(p..p + 4) {
                Some(b) => i32::from_be_bytes([b[0], b[1], b[2], b[3]]),
                None => return Err(Error::corrupt("snappy: xerial stream is truncated")),
            };
            p += 4;
            if len < 0 {
                return Err(Error::corrupt("snappy: negative xerial block length"));
            }
            let block = src.get(p..p + len as usize).ok_or(Error::corrupt("snappy: xerial stream is truncated"))?;
            p += len as usize;
            self.decompress_raw(block, out, limit)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(n: usize) -> Vec<u8> {
        (0..n).map(|i| b"kafka records compress well "[i % 28] ^ ((i / 1000) as u8 & 1)).collect()
    }

    #[test]
    fn raw_and_xerial_roundtrip() {
        let mut s = Snappy::default();
        for n in [0, 1, 1000, 32768, 32769, 200_000] {
            let data = sample(n);
            for xerial in [false, true] {
                let mut c = OutBuf::new();
                if xerial {
                    s.compress_xerial(&data, &mut c).unwrap();
                    assert_eq!(&c.as_slice()[..8], &XERIAL_MAGIC);
                } else {
                    s.compress_raw(&data, &mut c).unwrap();
                }
                let mut d = OutBuf::new();
                s.decompress(c.as_slice(), &mut d, usize::MAX).unwrap();
                assert_eq!(d.as_slice(), &data[..]);
            }
        }
    }

    #[test]
    fn concatenated_xerial_streams() {
        let mut s = Snappy::default();
        let mut c = OutBuf::new();
        s.compress_xerial(b"first ", &mut c).unwrap();
        s.compress_xerial(b"second", &mut c).unwrap();
        let mut d = OutBuf::new();
        s.decompress(c.as_slice(), &mut d, usize::MAX).unwrap();
        assert_eq!(d.as_slice(), b"first second");
    }

    #[test]
    fn limits_and_garbage() {
        let mut s = Snappy::default();
        let data = vec![0u8; 1 << 20];
        let mut c = OutBuf::new();
        s.compress_raw(&data, &mut c).unwrap();
        assert_eq!(s.decompress(c.as_slice(), &mut OutBuf::new(), 1000).unwrap_err().kind, crate::error::ErrorKind::TooLarge);
        let mut x = OutBuf::new();
        s.compress_xerial(&data, &mut x).unwrap();
        assert_eq!(s.decompress(x.as_slice(), &mut OutBuf::new(), 100_000).unwrap_err().kind, crate::error::ErrorKind::TooLarge);
        assert!(s.decompress(&x.as_slice()[..x.len() - 5], &mut OutBuf::new(), usize::MAX).is_err());
        assert!(s.decompress(&[0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2], &mut OutBuf::new(), usize::MAX).is_err());
    }
}
