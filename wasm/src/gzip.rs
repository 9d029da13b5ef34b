//! gzip (RFC 1952). The host's native zlib is used when it offers one (the
//! TypeScript loader passes `node:zlib`, measured faster than any WebAssembly
//! build, see `wasm/README.md`); otherwise `flate2` with the `zlib-rs` backend.
//!
//! Host protocol (two imports from module `denokafka`): `gzip(op, ptr, len, arg)`
//! compresses (op 0, arg = level) or decompresses (op 1, arg = size limit) the
//! bytes at `ptr` and returns the result length, or -1 when the host has no
//! native gzip, -2 when the result would exceed the limit, -3 when the data is
//! invalid. `gzip_take(dst)` then copies the result to `dst`.

use crate::buf::OutBuf;
use crate::error::{Error, Result};
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

pub const DEFAULT_LEVEL: i32 = 6;

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "denokafka")]
extern "C" {
    fn gzip(op: u32, ptr: *const u8, len: u32, arg: f64) -> f64;
    fn gzip_take(dst: *mut u8);
}

/// Runs the host's gzip; `None` when the host has none.
#[cfg(target_arch = "wasm32")]
fn host(op: u32, src: &[u8], arg: f64, out: &mut OutBuf) -> Option<Result<()>> {
    // SAFETY: the host only reads `src.len()` bytes at `src`.
    let n = unsafe { gzip(op, src.as_ptr(), src.len() as u32, arg) };
    if n == -1.0 {
        return None;
    }
    Some(if n == -2.0 {
        Err(Error::too_large())
    } else if n < 0.0 {
        Err(Error::corrupt("gzip: invalid compressed data"))
    } else {
        let n = n as usize;
        out.reserve(n).map(|()| {
            // SAFETY: `reserve` made `n` bytes writable at the spare pointer.
            unsafe { gzip_take(out.spare().as_mut_ptr()) };
            out.advance(n);
        })
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn host(_op: u32, _src: &[u8], _arg: f64, _out: &mut OutBuf) -> Option<Result<()>> {
    None
}

/// Appends a gzip member holding `src` to `out`.
pub fn compress(src: &[u8], out: &mut OutBuf, level: i32) -> Result<()> {
    let level = if level <= 0 { DEFAULT_LEVEL } else { level.min(9) } as u32;
    if let Some(r) = host(0, src, level as f64, out) {
        return r;
    }
    let mut c = Compress::new_gzip(Compression::new(level), 15);
    // deflate's worst case: 5 bytes per 16 KiB stored block plus the gzip header and trailer.
    let bound = src.len() + (src.len() >> 12) + (src.len() >> 14) + (src.len() >> 25) + 64;
    out.reserve(bound)?;
    loop {
        let before_out = c.total_out();
        let consumed = c.total_in() as usize;
        let status = c
            .compress(&src[consumed..], out.spare(), FlushCompress::Finish)
            .map_err(|_| Error::corrupt("gzip: compression failed"))?;
        out.advance((c.total_out() - before_out) as usize);
        match status {
            Status::StreamEnd => return Ok(()),
            _ => out.reserve(64 << 10)?,
        }
    }
}

/// Appends the content of one or more gzip members to `out`.
pub fn decompress(src: &[u8], out: &mut OutBuf, limit: usize) -> Result<()> {
    if let Some(r) = host(1, src, limit.saturating_sub(out.len()) as f64, out) {
        return r;
    }
    let mut p = 0;
    let mut chunk = (src.len() * 4).max(32 << 10);
    loop {
        let mut d = Decompress::new_gzip(15);
        loop {
            let room = limit.saturating_sub(out.len());
            let want = chunk.min(room.saturating_add(1)).max(1);
            out.reserve(want)?;
            let before_in = d.total_in();
            let before_out = d.total_out();
            let status = d
                .decompress(&src[p..], &mut out.spare()[..want], FlushDecompress::None)
                .map_err(|_| Error::corrupt("gzip: invalid compressed data"))?;
            let used = (d.total_in() - before_in) as usize;
            let produced = (d.total_out() - before_out) as usize;
            p += used;
            out.advance(produced);
            if out.len() > limit {
                return Err(Error::too_large());
            }
            match status {
                Status::StreamEnd => break,
                _ => {
                    if used == 0 && produced == 0 {
                        if p >= src.len() {
                            return Err(Error::corrupt("gzip: compressed data is truncated"));
                        }
                        chunk = chunk.saturating_mul(2);
                    }
                    if produced == want {
                        chunk = chunk.saturating_mul(2);
                    }
                }
            }
        }
        // Concatenated members are read like GZIPInputStream does; anything else after the end is ignored.
        if src.len() - p >= 2 && src[p] == 0x1f && src[p + 1] == 0x8b {
            continue;
        }
        return Ok(());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_members_and_limits() {
        let text: Vec<u8> = (0..200_000u32).flat_map(|i| format!("line {} of {}\n", i % 1000, i % 7).into_bytes()).collect();
        let mut c = OutBuf::new();
        compress(&text, &mut c, 0).unwrap();
        assert_eq!(&c.as_slice()[..2], &[0x1f, 0x8b]);
        assert!(c.len() * 5 < text.len());
        let mut d = OutBuf::new();
        decompress(c.as_slice(), &mut d, usize::MAX).unwrap();
        assert_eq!(d.as_slice(), &text[..]);
        let mut two = OutBuf::new();
        compress(b"abc", &mut two, 1).unwrap();
        compress(b"def", &mut two, 9).unwrap();
        let mut d = OutBuf::new();
        decompress(two.as_slice(), &mut d, usize::MAX).unwrap();
        assert_eq!(d.as_slice(), b"abcdef");
        assert_eq!(decompress(c.as_slice(), &mut OutBuf::new(), 1000).unwrap_err().kind, crate::error::ErrorKind::TooLarge);
        assert!(decompress(&c.as_slice()[..c.len() / 2], &mut OutBuf::new(), usize::MAX).is_err());
        let random: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2654435761) >> 11) as u8).collect();
        let mut c = OutBuf::new();
        compress(&random, &mut c, 6).unwrap();
        let mut d = OutBuf::new();
        decompress(c.as_slice(), &mut d, usize::MAX).unwrap();
        assert_eq!(d.as_slice(), &random[..]);
    }
}
