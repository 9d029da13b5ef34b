//! zstd (RecordBatch v2 only) through the reference C library (`zstd-sys`,
//! compiled to wasm32 with clang), with the compression and decompression
//! contexts kept across calls.

use crate::buf::OutBuf;
use crate::error::{Error, Result};
use zstd_safe::{CCtx, CParameter, DCtx, InBuffer, OutBuffer};

pub const DEFAULT_LEVEL: i32 = 3;

#[derive(Default)]
pub struct Zstd {
    cctx: Option<CCtx<'static>>,
    dctx: Option<DCtx<'static>>,
    level: i32,
}

fn codec_error(_code: usize) -> Error {
    Error::corrupt("zstd: invalid compressed data")
}

impl Zstd {
    /// Appends one zstd frame (with the content size) holding `src` to `out`.
    pub fn compress(&mut self, src: &[u8], out: &mut OutBuf, level: i32) -> Result<()> {
        let level = if level == 0 { DEFAULT_LEVEL } else { level.clamp(zstd_safe::min_c_level(), zstd_safe::max_c_level()) };
        if self.cctx.is_none() {
            self.cctx = Some(CCtx::try_create().ok_or_else(Error::oom)?);
            self.level = i32::MIN;
        }
        let cctx = self.cctx.as_mut().ok_or_else(Error::oom)?;
        if self.level != level {
            cctx.set_parameter(CParameter::CompressionLevel(level)).map_err(|_| Error::oom())?;
            self.level = level;
        }
        let bound = zstd_safe::compress_bound(src.len());
        out.reserve(bound)?;
        let n = cctx.compress2(&mut out.spare()[..bound], src).map_err(|_| Error::oom())?;
        out.advance(n);
        Ok(())
    }

    /// Appends the content of one or more zstd frames to `out`.
    pub fn decompress(&mut self, src: &[u8], out: &mut OutBuf, limit: usize) -> Result<()> {
        if self.dctx.is_none() {
            self.dctx = Some(DCtx::try_create().ok_or_else(Error::oom)?);
        }
        let dctx = self.dctx.as_mut().ok_or_else(Error::oom)?;
        dctx.reset(zstd_safe::ResetDirective::SessionOnly).map_err(|_| Error::oom())?;
        let hint = match zstd_safe::get_frame_content_size(src) {
            Ok(Some(n)) if n <= limit as u64 => n as usize,
            _ => 0,
        };
        if hint > 0 {
            // Content size known (one-shot compressors write it): decode straight into the output.
            let start = out.len();
            out.reserve(hint)?;
            match dctx.decompress(&mut out.spare()[..hint], src) {
                Ok(n) => {
                    out.advance(n);
                    return Ok(());
                }
                // More than one frame or a lying header: fall back to streaming.
                Err(_) => {
                    out.truncate(start);
                    dctx.reset(zstd_safe::ResetDirective::SessionOnly).map_err(|_| Error::oom())?;
                }
            }
        }
        let mut input = InBuffer::around(src);
        let mut chunk = if hint > 0 { hint } else { (src.len() * 4).max(64 << 10) };
        loop {
            let room = limit.saturating_sub(out.len());
            let want = chunk.min(room.saturating_add(1)).max(1);
            out.reserve(want)?;
            let spare = &mut out.spare()[..want];
            let mut ob = OutBuffer::around(spare);
            let remaining = dctx.decompress_stream(&mut ob, &mut input).map_err(codec_error)?;
            let produced = ob.pos();
            let full = produced == want;
            out.advance(produced);
            if out.len() > limit {
                return Err(Error::too_large());
            }
            if remaining == 0 && input.pos() == src.len() {
                return Ok(());
            }
            if input.pos() == src.len() && !full {
                return Err(Error::corrupt("zstd: compressed data is truncated"));
            }
            chunk = chunk.saturating_mul(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_ratio() {
        let mut z = Zstd::default();
        let text: Vec<u8> = (0..300_000u32).flat_map(|i| format!("{{\"n\":{},\"v\":\"x{}\"}}\n", i, i % 13).into_bytes()).collect();
        let mut c = OutBuf::new();
        z.compress(&text, &mut c, 0).unwrap();
        assert!(c.len() * 5 < text.len());
        let mut d = OutBuf::new();
        z.decompress(c.as_slice(), &mut d, usize::MAX).unwrap();
        assert_eq!(d.as_slice(), &text[..]);
        // again, reusing contexts, at another level
        let mut c2 = OutBuf::new();
        z.compress(&text[..1000], &mut c2, 9).unwrap();
        let mut d2 = OutBuf::new();
        z.decompress(c2.as_slice(), &mut d2, usize::MAX).unwrap();
        assert_eq!(d2.as_slice(), &text[..1000]);
    }

    #[test]
    fn streaming_frames_without_content_size_and_limits() {
        // A frame made by the streaming API carries no content size, like zstd-jni's stream.
        let data = vec![7u8; 3 << 20];
        let mut cctx = CCtx::create();
        let mut frame = vec![0u8; zstd_safe::compress_bound(data.len())];
        let mut ob = OutBuffer::around(&mut frame[..]);
        let mut ib = InBuffer::around(&data[..]);
        cctx.compress_stream(&mut ob, &mut ib).unwrap();
        while cctx.end_stream(&mut ob).unwrap() != 0 {}
        let n = ob.pos();
        frame.truncate(n);
        assert!(matches!(zstd_safe::get_frame_content_size(&frame), Ok(None)));
        let mut z = Zstd::default();
        let mut d = OutBuf::new();
        z.decompress(&frame, &mut d, usize::MAX).unwrap();
        assert_eq!(d.as_slice(), &data[..]);
        assert_eq!(z.decompress(&frame, &mut OutBuf::new(), 1 << 20).unwrap_err().kind, crate::error::ErrorKind::TooLarge);
        assert!(z.decompress(&frame[..frame.len() - 2], &mut OutBuf::new(), usize::MAX).is_err());
        assert!(z.decompress(b"\x28\xb5\x2f\xfdgarbage", &mut OutBuf::new(), usize::MAX).is_err());
        let mut two = OutBuf::new();
        z.compress(b"ab", &mut two, 0).unwrap();
        z.compress(b"cd", &mut two, 0).unwrap();
        let mut d = OutBuf::new();
        z.decompress(two.as_slice(), &mut d, usize::MAX).unwrap();
        assert_eq!(d.as_slice(), b"abcd");
    }
}
