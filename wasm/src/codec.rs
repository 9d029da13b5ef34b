//! Codec ids (Kafka's attribute bits 0-2) and dispatch to the codecs.

use crate::buf::OutBuf;
use crate::error::{Error, ErrorKind, Result};
use crate::snappy::Snappy;
use crate::zstd_codec::Zstd;
use crate::{gzip, lz4};

pub const NONE: u8 = 0;
pub const GZIP: u8 = 1;
pub const SNAPPY: u8 = 2;
pub const LZ4: u8 = 3;
pub const ZSTD: u8 = 4;

/// `flags` bit: write LZ4 frames with the magic-0 (KIP-57) header checksum.
pub const FLAG_LZ4_LEGACY: u32 = 1;
/// `flags` bit: write raw snappy instead of xerial framing.
pub const FLAG_SNAPPY_RAW: u32 = 2;

#[derive(Default)]
pub struct Codecs {
    pub snappy: Snappy,
    pub zstd: Zstd,
}

fn unsupported() -> Error {
    Error::new(ErrorKind::UnsupportedCodec, "unknown compression codec")
}

impl Codecs {
    /// Appends `src` compressed with `codec` to `out`. `level` 0 means the codec's default.
    pub fn compress(&mut self, codec: u8, src: &[u8], out: &mut OutBuf, level: i32, flags: u32) -> Result<()> {
        match codec {
            NONE => out.extend(src),
            GZIP => gzip::compress(src, out, level),
            SNAPPY if flags & FLAG_SNAPPY_RAW != 0 => self.snappy.compress_raw(src, out),
            SNAPPY => self.snappy.compress_xerial(src, out),
            LZ4 => lz4::compress(src, out, flags & FLAG_LZ4_LEGACY != 0),
            ZSTD => self.zstd.compress(src, out, level),
            _ => Err(unsupported()),
        }
    }

    /// Appends the decompressed content of `src` to `out`, failing when `out.len()` would pass `limit`.
    pub fn decompress(&mut self, codec: u8, src: &[u8], out: &mut OutBuf, limit: usize) -> Result<()> {
        match codec {
            NONE => {
                if src.len() > limit.saturating_sub(out.len()) {
                    return Err(Error::too_large());
                }
                out.extend(src)
            }
            GZIP => gzip::decompress(src, out, limit),
            SNAPPY => self.snappy.decompress(src, out, limit),
            LZ4 => lz4::decompress(src, out, limit),
            ZSTD => self.zstd.decompress(src, out, limit),
            _ => Err(unsupported()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_codec_roundtrips() {
        let mut c = Codecs::default();
        let data: Vec<u8> = (0..50_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        for codec in [NONE, GZIP, SNAPPY, LZ4, ZSTD] {
            for flags in [0, FLAG_LZ4_LEGACY | FLAG_SNAPPY_RAW] {
                let mut z = OutBuf::new();
                c.compress(codec, &data, &mut z, 0, flags).unwrap();
                let mut d = OutBuf::new();
                d.extend(b"prefix").unwrap();
                c.decompress(codec, z.as_slice(), &mut d, usize::MAX).unwrap();
                assert_eq!(&d.as_slice()[6..], &data[..], "codec {codec}");
            }
        }
        assert_eq!(c.compress(9, b"x", &mut OutBuf::new(), 0, 0).unwrap_err().kind, ErrorKind::UnsupportedCodec);
        assert_eq!(c.decompress(5, b"x", &mut OutBuf::new(), 10).unwrap_err().kind, ErrorKind::UnsupportedCodec);
    }
}
