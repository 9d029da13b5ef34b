//! LZ4 frames as Kafka uses them (`KafkaLZ4BlockOutputStream`): a subset of the
//! LZ4 frame format v1.5.1 with independent 64 KiB blocks, no checksums and no
//! content size. The block codec is `lz4_flex`; only the frame layout is here.
//!
//! Magic 0 (Kafka 0.8/0.9, KIP-57) writes a header checksum computed over the
//! magic number plus the descriptor instead of the descriptor alone. The writer
//! reproduces that on request; the reader accepts both checksums, so frames
//! from every producer generation decode.

use crate::buf::OutBuf;
use crate::error::{Error, Result};
use xxhash_rust::xxh32::xxh32;

const MAGIC: [u8; 4] = [0x04, 0x22, 0x4D, 0x18];
/// FLG: version 01, independent blocks, no checksums, no content size.
const FLG: u8 = 0x60;
/// BD: 64 KiB maximum block size.
const BD: u8 = 0x40;
const BLOCK: usize = 64 * 1024;
const UNCOMPRESSED_BIT: u32 = 0x8000_0000;

fn header_checksum(bytes: &[u8]) -> u8 {
    (xxh32(bytes, 0) >> 8) as u8
}

/// Appends one Kafka LZ4 frame holding `src` to `out`.
pub fn compress(src: &[u8], out: &mut OutBuf, legacy_checksum: bool) -> Result<()> {
    let blocks = src.len().div_ceil(BLOCK).max(1);
    let bound = 7 + blocks * (4 + lz4_flex::block::get_maximum_output_size(BLOCK)) + 4;
    out.reserve(bound)?;
    let hc = if legacy_checksum {
        header_checksum(&[MAGIC[0], MAGIC[1], MAGIC[2], MAGIC[3], FLG, BD])
    } else {
        header_checksum(&[FLG, BD])
    };
    let spare = out.spare();
    spare[..4].copy_from_slice(&MAGIC);
    spare[4] = FLG;
    spare[5] = BD;
    spare[6] = hc;
    let mut p = 7;
    for chunk in src.chunks(BLOCK) {
        let n = lz4_flex::block::compress_into(chunk, &mut spare[p + 4..])
            .map_err(|_| Error::corrupt("lz4: compression failed"))?;
        if n >= chunk.len() {
            spare[p..p + 4].copy_from_slice(&((chunk.len() as u32) | UNCOMPRESSED_BIT).to_le_bytes());
            spare[p + 4..p + 4 + chunk.len()].copy_from_slice(chunk);
            p += 4 + chunk.len();
        } else {
            spare[p..p + 4].copy_from_slice(&(n as u32).to_le_bytes());
            p += 4 + n;
        }
    }
    spare[p..p + 4].copy_from_slice(&[0, 0, 0, 0]);
    p += 4;
    out.advance(p);
    Ok(())
}

#[inline]
fn u32le(src: &[u8], p: usize) -> Result<u32> {
    match src.get(p..p + 4) {
        Some(b) => Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        None => Err(Error::corrupt("lz4: frame is truncated")),
    }
}

/// Appends the decompressed content of one or more LZ4 frames to `out`,
/// failing once `out.len()` would exceed `limit`.
pub fn decompress(src: &[u8], out: &mut OutBuf, limit: usize) -> Result<()> {
    let mut p = 0;
    let mut frames = 0;
    while p < src.len() || frames == 0 {
        p = decompress_frame(src, p, out, limit)?;
        frames += 1;
    }
    Ok(())
}

fn decompress_frame(src: &[u8], start: usize, out: &mut OutBuf, limit: usize) -> Result<usize> {
    if src.get(start..start + 4) != Some(&MAGIC[..]) {
        return Err(Error::corrupt("lz4: bad frame magic"));
    }
    let desc = start + 4;
    let (flg, bd) = match src.get(desc..desc + 2) {
        Some(b) => (b[0], b[1]),
        None => return Err(Error::corrupt("lz4: frame is truncated")),
    };
    if flg >> 6 != 1 {
        return Err(Error::corrupt("lz4: unsupported frame version"));
    }
    if flg & 0x02 != 0 || bd & 0x8F != 0 {
        return Err(Error::corrupt("lz4: reserved frame bits are set"));
    }
    let independent = flg & 0x20 != 0;
    let block_checksum = flg & 0x10 != 0;
    let content_size = flg & 0x08 != 0;
    let content_checksum = flg & 0x04 != 0;
    let dict_id = flg & 0x01 != 0;
    let max_block = match (bd >> 4) & 7 {
        4 => 64 << 10,
        5 => 256 << 10,
        6 => 1 << 20,
        7 => 4 << 20,
        _ => return Err(Error::corrupt("lz4: bad block maximum size")),
    };
    let mut p = desc + 2 + if content_size { 8 } else { 0 } + if dict_id { 4 } else { 0 };
    let hc = *src.get(p).ok_or(Error::corrupt("lz4: frame is truncated"))?;
    let proper = header_checksum(&src[desc..p]);
    let legacy = header_checksum(&src[start..p]);
    if hc != proper && hc != legacy {
        return Err(Error::corrupt("lz4: bad frame header checksum"));
    }
    p += 1;
    let frame_out_start = out.len();
    let mut dict: Vec<u8> = Vec::new();
    loop {
        let word = u32le(src, p)?;
        p += 4;
        if word == 0 {
            break;
        }
        let stored = word & UNCOMPRESSED_BIT != 0;
        let size = (word & !UNCOMPRESSED_BIT) as usize;
        if size > max_block {
            return Err(Error::corrupt("lz4: block larger than the frame's maximum"));
        }
        let data = src.get(p..p + size).ok_or(Error::corrupt("lz4: frame is truncated"))?;
        p += size;
        if block_checksum {
            let sum = u32le(src, p)?;
            p += 4;
            if sum != xxh32(data, 0) {
                return Err(Error::corrupt("lz4: bad block checksum"));
            }
        }
        let room = limit.saturating_sub(out.len());
        if stored {
            if size > room {
                return Err(Error::too_large());
            }
            out.extend(data)?;
        } else {
            let cap = max_block.min(room.saturating_add(1));
            out.reserve(cap)?;
            let before = out.len();
            let n = if independent || before == frame_out_start {
                lz4_flex::block::decompress_into(data, &mut out.spare()[..cap])
            } else {
                lz4_flex::block::decompress_into_with_dict(data, &mut out.spare()[..cap], &dict)
            }
            .map_err(|e| match e {
                lz4_flex::block::DecompressError::OutputTooSmall { .. } if cap <= room => {
                    Error::corrupt("lz4: block decompresses to more than the frame's maximum")
                }
                lz4_flex::block::DecompressError::OutputTooSmall { .. } => Error::too_large(),
                _ => Error::corrupt("lz4: invalid compressed block"),
            })?;
            if n > room {
                return Err(Error::too_large());
            }
            out.advance(n);
        }
        if !independent {
            let produced = &out.as_slice()[frame_out_start..];
            let keep = produced.len().min(64 << 10);
            dict.clear();
            dict.extend_from_slice(&produced[produced.len() - keep..]);
        }
    }
    if content_checksum {
        u32le(src, p)?;
        p += 4;
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(n: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(n);
        let mut i = 0u32;
        while v.len() < n {
            v.extend_from_slice(format!("{{\"id\":{i},\"name\":\"user-{}\",\"ok\":true}}\n", i % 97).as_bytes());
            i += 1;
        }
        v.truncate(n);
        v
    }

    fn roundtrip(data: &[u8], legacy: bool) {
        let mut c = OutBuf::new();
        compress(data, &mut c, legacy).unwrap();
        let mut d = OutBuf::new();
        decompress(c.as_slice(), &mut d, usize::MAX).unwrap();
        assert_eq!(d.as_slice(), data);
    }

    #[test]
    fn roundtrips() {
        for n in [0, 1, 100, 65536, 65537, 300_000] {
            roundtrip(&text(n), false);
            roundtrip(&text(n), true);
        }
        let random: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        roundtrip(&random, false);
    }

    #[test]
    fn header_checksums() {
        let mut c = OutBuf::new();
        compress(b"", &mut c, false).unwrap();
        // xxh32 of [0x60, 0x40] >> 8 & 0xff is 0x82: the byte every Kafka >= 0.10 frame starts with.
        assert_eq!(c.as_slice(), &[0x04, 0x22, 0x4D, 0x18, 0x60, 0x40, 0x82, 0, 0, 0, 0]);
        let mut l = OutBuf::new();
        compress(b"", &mut l, true).unwrap();
        assert_ne!(l.as_slice()[6], 0x82);
        let mut d = OutBuf::new();
        decompress(l.as_slice(), &mut d, 10).unwrap();
        assert_eq!(d.len(), 0);
    }

    #[test]
    fn enforces_limit_and_rejects_garbage() {
        let data = vec![b'a'; 1 << 20];
        let mut c = OutBuf::new();
        compress(&data, &mut c, false).unwrap();
        assert!(c.len() < 10_000);
        let mut d = OutBuf::new();
        assert_eq!(decompress(c.as_slice(), &mut d, 100_000).unwrap_err().kind, crate::error::ErrorKind::TooLarge);
        let mut d = OutBuf::new();
        assert!(decompress(&c.as_slice()[..c.len() - 3], &mut d, usize::MAX).is_err());
        let mut bad = c.as_slice().to_vec();
        bad[6] ^= 0x55;
        assert!(decompress(&bad, &mut OutBuf::new(), usize::MAX).is_err());
        assert!(decompress(b"nope", &mut OutBuf::new(), usize::MAX).is_err());
    }

    #[test]
    fn reads_linked_blocks_checksums_and_content_size() {
        // Hand-assembled frame: FLG = 01 0 1 1 1 0 0 (dependent blocks, block checksum,
        // content size, content checksum), BD = 64 KiB; two stored blocks.
        let content = b"hello, world";
        let flg = 0b0101_1100u8;
        let mut f = MAGIC.to_vec();
        f.push(flg);
        f.push(BD);
        f.extend_from_slice(&(content.len() as u64).to_le_bytes());
        let hc = header_checksum(&f[4..]);
        f.push(hc);
        for part in [&content[..5], &content[5..]] {
            f.extend_from_slice(&((part.len() as u32) | UNCOMPRESSED_BIT).to_le_bytes());
            f.extend_from_slice(part);
            f.extend_from_slice(&xxh32(part, 0).to_le_bytes());
        }
        f.extend_from_slice(&[0, 0, 0, 0]);
        f.extend_from_slice(&xxh32(content, 0).to_le_bytes());
        let mut d = OutBuf::new();
        decompress(&f, &mut d, usize::MAX).unwrap();
        assert_eq!(d.as_slice(), content);
    }
}
