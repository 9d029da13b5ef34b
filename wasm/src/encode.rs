//! Encoding a partition's records into MessageSet v0/v1 or RecordBatch v2.
//!
//! TypeScript writes the records into the input arena as:
//!
//! ```text
//! f64 timestamp[n]                       at 0
//! i32 (keyLen, valueLen, headerCount)[n] at 8n         (-1 = null)
//! i32 (keyLen, valueLen)[h]              at 20n        (header key never null)
//! u8  bytes                              at 20n + 8h
//! ```
//!
//! where `bytes` holds, record after record: key, value, then each header's
//! key (UTF-8) and value.

use crate::buf::OutBuf;
use crate::codec::{self, Codecs, FLAG_LZ4_LEGACY};
use crate::crc::{crc32, crc32c};
use crate::error::{Error, ErrorKind, Result};
use crate::varint::{varint_size, varlong_size, write_varint, write_varlong};

pub const MAX_SAFE: i64 = (1 << 53) - 1;

/// Byte offsets of the four input regions for `n` records and `h` headers.
pub fn layout(n: usize, h: usize) -> (usize, usize, usize, usize) {
    (0, 8 * n, 20 * n, 20 * n + 8 * h)
}

pub struct EncodeParams {
    pub magic: u8,
    pub codec: u8,
    pub level: i32,
    pub flags: u32,
    pub base_offset: i64,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    pub transactional: bool,
}

#[derive(Clone, Copy)]
pub struct Rec {
    ts: i64,
    key: i32,
    value: i32,
    headers: u32,
    hdr_first: u32,
    /// Start of this record's bytes (key, value, headers) in the bytes region.
    pos: u32,
}

fn invalid(msg: &'static str) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

#[inline]
fn rd_i32(b: &[u8], o: usize) -> i32 {
    i32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}

#[inline]
fn rd_f64(b: &[u8], o: usize) -> f64 {
    f64::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3], b[o + 4], b[o + 5], b[o + 6], b[o + 7]])
}

pub fn f64_to_i64(v: f64) -> Option<i64> {
    if v.is_finite() && v.trunc() == v && v.abs() <= MAX_SAFE as f64 {
        Some(v as i64)
    } else {
        None
    }
}

/// Reads and checks the record descriptors.
fn read_records(input: &[u8], n: usize, h: usize, bytes_len: usize, out: &mut Vec<Rec>) -> Result<()> {
    let (ts_off, rec_off, hdr_off, bytes_off) = layout(n, h);
    if bytes_off.checked_add(bytes_len).map_or(true, |end| end > input.len()) {
        return Err(invalid("record input exceeds the input arena"));
    }
    out.clear();
    out.reserve(n);
    let mut pos: u64 = 0;
    let mut hdr: usize = 0;
    for i in 0..n {
        let ts = f64_to_i64(rd_f64(input, ts_off + 8 * i)).ok_or(invalid("timestamp is not a safe integer"))?;
        let key = rd_i32(input, rec_off + 12 * i);
        let value = rd_i32(input, rec_off + 12 * i + 4);
        let headers = rd_i32(input, rec_off + 12 * i + 8);
        if key < -1 || value < -1 || headers < 0 || hdr + headers as usize > h {
            return Err(invalid("bad record descriptor"));
        }
        let start = pos;
        pos += key.max(0) as u64 + value.max(0) as u64;
        for j in hdr..hdr + headers as usize {
            let hk = rd_i32(input, hdr_off + 8 * j);
            let hv = rd_i32(input, hdr_off + 8 * j + 4);
            if hk < 0 || hv < -1 {
                return Err(invalid("bad header descriptor"));
            }
            pos += hk as u64 + hv.max(0) as u64;
        }
        if pos > bytes_len as u64 {
            return Err(invalid("record bytes exceed the bytes region"));
        }
        out.push(Rec { ts, key, value, headers: headers as u32, hdr_first: hdr as u32, pos: start as u32 });
        hdr += headers as usize;
    }
    Ok(())
}

#[inline]
fn put(out: &mut [u8], p: usize, data: &[u8]) -> usize {
    out[p..p + data.len()].copy_from_slice(data);
    p + data.len()
}

struct V2Sizes {
    body: usize,
}

fn v2_body_size(r: &Rec, i: usize, base_ts: i64, input: &[u8], hdr_off: usize) -> V2Sizes {
    let mut body = 1
        + varlong_size(r.ts.wrapping_sub(base_ts))
        + varint_size(i as i32)
        + varint_size(r.key)
        + r.key.max(0) as usize
        + varint_size(r.value)
        + r.value.max(0) as usize
        + varint_size(r.headers as i32);
    for j in r.hdr_first as usize..(r.hdr_first + r.headers) as usize {
        let hk = rd_i32(input, hdr_off + 8 * j);
        let hv = rd_i32(input, hdr_off + 8 * j + 4);
        body += varint_size(hk) + hk as usize + varint_size(hv) + hv.max(0) as usize;
    }
    V2Sizes { body }
}

/// Writes RecordBatch v2 records (no batch header) into `out`.
fn write_v2_records(recs: &[Rec], base_ts: i64, input: &[u8], hdr_off: usize, bytes: &[u8], out: &mut OutBuf) -> Result<()> {
    let mut total = 0usize;
    for (i, r) in recs.iter().enumerate() {
        let s = v2_body_size(r, i, base_ts, input, hdr_off).body;
        total += varint_size(s as i32) + s;
    }
    out.reserve(total)?;
    let dst = out.spare();
    let mut p = 0;
    for (i, r) in recs.iter().enumerate() {
        let body = v2_body_size(r, i, base_ts, input, hdr_off).body;
        p = write_varint(dst, p, body as i32);
        dst[p] = 0;
        p += 1;
        p = write_varlong(dst, p, r.ts.wrapping_sub(base_ts));
        p = write_varint(dst, p, i as i32);
        let mut b = r.pos as usize;
        p = write_varint(dst, p, r.key);
        if r.key > 0 {
            p = put(dst, p, &bytes[b..b + r.key as usize]);
            b += r.key as usize;
        }
        p = write_varint(dst, p, r.value);
        if r.value > 0 {
            p = put(dst, p, &bytes[b..b + r.value as usize]);
            b += r.value as usize;
        }
        p = write_varint(dst, p, r.headers as i32);
        for j in r.hdr_first as usize..(r.hdr_first + r.headers) as usize {
            let hk = rd_i32(input, hdr_off + 8 * j);
            let hv = rd_i32(input, hdr_off + 8 * j + 4);
            p = write_varint(dst, p, hk);
            p = put(dst, p, &bytes[b..b + hk as usize]);
            b += hk as usize;
            p = write_varint(dst, p, hv);
            if hv > 0 {
                p = put(dst, p, &bytes[b..b + hv as usize]);
                b += hv as usize;
            }
        }
    }
    out.advance(p);
    Ok(())
}

fn legacy_size(magic: u8, key: i32, value: i32) -> usize {
    4 + 1 + 1 + if magic == 1 { 8 } else { 0 } + 4 + key.max(0) as usize + 4 + value.max(0) as usize
}

/// Writes one MessageSet entry (offset, size, message) at the end of `out`,
/// the value coming from `value` (which may be a range of `out` itself is not allowed).
#[allow(clippy::too_many_arguments)]
fn write_legacy(out: &mut OutBuf, magic: u8, attrs: u8, offset: i64, ts: i64, key: Option<&[u8]>, value: Option<&[u8]>) -> Result<()> {
    let kl = key.map_or(-1, |k| k.len() as i32);
    let vl = value.map_or(-1, |v| v.len() as i32);
    let size = legacy_size(magic, kl, vl);
    out.reserve(12 + size)?;
    let dst = out.spare();
    let mut p = put(dst, 0, &offset.to_be_bytes());
    p = put(dst, p, &(size as i32).to_be_bytes());
    let crc_at = p;
    p += 4;
    dst[p] = magic;
    dst[p + 1] = attrs;
    p += 2;
    if magic == 1 {
        p = put(dst, p, &ts.to_be_bytes());
    }
    p = put(dst, p, &kl.to_be_bytes());
    if let Some(k) = key {
        p = put(dst, p, k);
    }
    p = put(dst, p, &vl.to_be_bytes());
    if let Some(v) = value {
        p = put(dst, p, v);
    }
    let crc = crc32(&dst[crc_at + 4..p]);
    dst[crc_at..crc_at + 4].copy_from_slice(&crc.to_be_bytes());
    out.advance(p);
    Ok(())
}

fn write_legacy_set(recs: &[Rec], magic: u8, first_offset: i64, bytes: &[u8], out: &mut OutBuf) -> Result<()> {
    for (i, r) in recs.iter().enumerate() {
        let b = r.pos as usize;
        let key = if r.key >= 0 { Some(&bytes[b..b + r.key as usize]) } else { None };
        let vb = b + r.key.max(0) as usize;
        let value = if r.value >= 0 { Some(&bytes[vb..vb + r.value as usize]) } else { None };
        write_legacy(out, magic, 0, first_offset + i as i64, r.ts, key, value)?;
    }
    Ok(())
}

/// Encodes `n` records described in `input` into `out` (cleared first).
#[allow(clippy::too_many_arguments)]
pub fn encode(
    input: &[u8],
    n: usize,
    h: usize,
    bytes_len: usize,
    p: &EncodeParams,
    codecs: &mut Codecs,
    recs: &mut Vec<Rec>,
    scratch: &mut OutBuf,
    out: &mut OutBuf,
) -> Result<()> {
    out.clear();
    if n == 0 {
        return Err(invalid("cannot encode an empty record set"));
    }
    if n > i32::MAX as usize / 2 {
        return Err(invalid("too many records"));
    }
    if p.codec > codec::ZSTD {
        return Err(Error::new(ErrorKind::UnsupportedCodec, "unknown compression codec"));
    }
    read_records(input, n, h, bytes_len, recs)?;
    let (_, _, hdr_off, bytes_off) = layout(n, h);
    let bytes = &input[bytes_off..bytes_off + bytes_len];
    let last = p.base_offset.checked_add(n as i64 - 1).filter(|v| *v <= MAX_SAFE && p.base_offset >= 0);
    let last = last.ok_or(invalid("base offset is out of range"))?;
    match p.magic {
        2 => encode_v2(recs, input, hdr_off, bytes, p, codecs, scratch, out),
        0 | 1 => {
            if h > 0 {
                return Err(invalid("record headers need magic 2"));
            }
            if p.codec == codec::ZSTD {
                return Err(Error::new(ErrorKind::UnsupportedCodec, "zstd needs magic 2"));
            }
            if p.codec == codec::NONE {
                return write_legacy_set(recs, p.magic, p.base_offset, bytes, out);
            }
            // Wrapper message: inner offsets are relative (v1) or counted from the base (v0),
            // the wrapper carries the last offset and (v1) the maximum timestamp.
            scratch.clear();
            let inner_first = if p.magic == 1 { 0 } else { p.base_offset };
            write_legacy_set(recs, p.magic, inner_first, bytes, scratch)?;
            let max_ts = recs.iter().map(|r| r.ts).max().unwrap_or(-1);
            let head = 12 + 4 + 2 + if p.magic == 1 { 8 } else { 0 } + 4 + 4;
            out.reserve(head)?;
            out.advance(head);
            let flags = if p.magic == 0 { p.flags | FLAG_LZ4_LEGACY } else { p.flags & !FLAG_LZ4_LEGACY };
            codecs.compress(p.codec, scratch.as_slice(), out, p.level, flags)?;
            let value_len = out.len() - head;
            let size = out.len() - 12;
            let o = out.as_mut_slice();
            let mut q = put(o, 0, &last.to_be_bytes());
            q = put(o, q, &(size as i32).to_be_bytes());
            let crc_at = q;
            q += 4;
            o[q] = p.magic;
            o[q + 1] = p.codec;
            q += 2;
            if p.magic == 1 {
                q = put(o, q, &max_ts.to_be_bytes());
            }
            q = put(o, q, &(-1i32).to_be_bytes());
            put(o, q, &(value_len as i32).to_be_bytes());
            let crc = crc32(&o[crc_at + 4..]);
            o[crc_at..crc_at + 4].copy_from_slice(&crc.to_be_bytes());
            Ok(())
        }
        _ => Err(invalid("magic must be 0, 1 or 2")),
    }
}

#[allow(clippy::too_many_arguments)]
fn encode_v2(
    recs: &[Rec],
    input: &[u8],
    hdr_off: usize,
    bytes: &[u8],
    p: &EncodeParams,
    codecs: &mut Codecs,
    scratch: &mut OutBuf,
    out: &mut OutBuf,
) -> Result<()> {
    let base_ts = recs[0].ts;
    let max_ts = recs.iter().map(|r| r.ts).max().unwrap_or(base_ts);
    out.reserve(61)?;
    out.advance(61);
    if p.codec == codec::NONE {
        write_v2_records(recs, base_ts, input, hdr_off, bytes, out)?;
    } else {
        scratch.clear();
        write_v2_records(recs, base_ts, input, hdr_off, bytes, scratch)?;
        codecs.compress(p.codec, scratch.as_slice(), out, p.level, p.flags & !FLAG_LZ4_LEGACY)?;
    }
    let total = out.len();
    if total - 12 > i32::MAX as usize {
        return Err(invalid("record batch is too large"));
    }
    let attributes: u16 = p.codec as u16 | if p.transactional { 0x10 } else { 0 };
    let o = out.as_mut_slice();
    let mut q = put(o, 0, &p.base_offset.to_be_bytes());
    q = put(o, q, &((total - 12) as i32).to_be_bytes());
    q = put(o, q, &(-1i32).to_be_bytes());
    o[q] = 2;
    q += 1 + 4;
    q = put(o, q, &attributes.to_be_bytes());
    q = put(o, q, &((recs.len() - 1) as i32).to_be_bytes());
    q = put(o, q, &base_ts.to_be_bytes());
    q = put(o, q, &max_ts.to_be_bytes());
    q = put(o, q, &p.producer_id.to_be_bytes());
    q = put(o, q, &p.producer_epoch.to_be_bytes());
    q = put(o, q, &p.base_sequence.to_be_bytes());
    put(o, q, &(recs.len() as i32).to_be_bytes());
    let crc = crc32c(&o[21..]);
    o[17..21].copy_from_slice(&crc.to_be_bytes());
    Ok(())
}

/// Test and benchmark helper: lays out records the way TypeScript does.
#[cfg(test)]
pub mod testing {
    use super::*;

    pub struct TestRecord<'a> {
        pub ts: i64,
        pub key: Option<&'a [u8]>,
        pub value: Option<&'a [u8]>,
        pub headers: Vec<(&'a str, Option<&'a [u8]>)>,
    }

    /// Returns (input, n, h, bytes_len).
    pub fn layout_records(recs: &[TestRecord]) -> (Vec<u8>, usize, usize, usize) {
        let n = recs.len();
        let h: usize = recs.iter().map(|r| r.headers.len()).sum();
        let (_, rec_off, hdr_off, bytes_off) = layout(n, h);
        let mut input = vec![0u8; bytes_off];
        let mut bytes = Vec::new();
        let mut hi = 0;
        for (i, r) in recs.iter().enumerate() {
            input[8 * i..8 * i + 8].copy_from_slice(&(r.ts as f64).to_le_bytes());
            let kl = r.key.map_or(-1, |k| k.len() as i32);
            let vl = r.value.map_or(-1, |v| v.len() as i32);
            input[rec_off + 12 * i..rec_off + 12 * i + 4].copy_from_slice(&kl.to_le_bytes());
            input[rec_off + 12 * i + 4..rec_off + 12 * i + 8].copy_from_slice(&vl.to_le_bytes());
            input[rec_off + 12 * i + 8..rec_off + 12 * i + 12].copy_from_slice(&(r.headers.len() as i32).to_le_bytes());
            bytes.extend_from_slice(r.key.unwrap_or(b""));
            bytes.extend_from_slice(r.value.unwrap_or(b""));
            for (k, v) in &r.headers {
                let o = hdr_off + 8 * hi;
                input[o..o + 4].copy_from_slice(&(k.len() as i32).to_le_bytes());
                input[o + 4..o + 8].copy_from_slice(&v.map_or(-1, |v| v.len() as i32).to_le_bytes());
                bytes.extend_from_slice(k.as_bytes());
                bytes.extend_from_slice(v.unwrap_or(b""));
                hi += 1;
            }
        }
        let bl = bytes.len();
        input.extend_from_slice(&bytes);
        (input, n, h, bl)
    }
}
