//! Decoding a fetched record set (several batches, mixed magic, compressed
//! wrappers) into a compact index that TypeScript turns into objects.
//!
//! Positions in the index are "virtual": `0..input.len()` are bytes of the
//! input, `input.len()..` are bytes of the decompressed-data buffer. Lengths
//! of -1 mean null.

use crate::buf::OutBuf;
use crate::codec::{self, Codecs};
use crate::crc::{crc32, crc32c};
use crate::encode::MAX_SAFE;
use crate::error::{Error, ErrorKind, Result};
use crate::varint::{read_varint, read_varlong};

/// Row sizes of the decoded index shared with TypeScript (part of the ABI):
/// how many slots one record, header or batch takes in its array.
pub mod row {
    /// f64 slots per record: offset, timestamp.
    pub const REC_F64: usize = 2;
    /// i32 slots per record: keyPos, keyLen, valuePos, valueLen, firstHeader, headerCount, batch, isControl.
    pub const REC_I32: usize = 8;
    /// i32 slots per header: keyPos, keyLen, valuePos, valueLen.
    pub const HDR_I32: usize = 4;
    /// f64 slots per batch: baseOffset, lastOffset, baseTimestamp, maxTimestamp, producerId.
    pub const BATCH_F64: usize = 5;
    /// i32 slots per batch: magic, attributes, emittedRecords, firstRecord, partitionLeaderEpoch,
    /// producerEpoch, baseSequence, controlType (-1 if none), declaredRecords, bytePosition.
    pub const BATCH_I32: usize = 10;
}
pub use row::{BATCH_F64, BATCH_I32, HDR_I32, REC_F64, REC_I32};

pub struct DecodeOptions {
    pub verify_crc: bool,
    pub max_decompressed: usize,
    pub min_offset: i64,
    /// Emit the records of control batches too (flagged in the last i32 slot).
    pub include_control: bool,
}

#[derive(Default)]
pub struct Decoded {
    pub rec_f64: Vec<f64>,
    pub rec_i32: Vec<i32>,
    pub hdr: Vec<i32>,
    pub batch_f64: Vec<f64>,
    pub batch_i32: Vec<i32>,
    pub data: OutBuf,
    /// Offset after the last complete batch, or -1 when there was none.
    pub next_offset: i64,
    /// Bytes of the input that held complete batches.
    pub consumed: usize,
    inner: Vec<Inner>,
}

#[derive(Clone, Copy)]
struct Inner {
    offset: i64,
    ts: i64,
    key_pos: i32,
    key_len: i32,
    val_pos: i32,
    val_len: i32,
}

impl Decoded {
    pub fn records(&self) -> usize {
        self.rec_f64.len() / REC_F64
    }
    pub fn headers(&self) -> usize {
        self.hdr.len() / HDR_I32
    }
    pub fn batches(&self) -> usize {
        self.batch_f64.len() / BATCH_F64
    }
    fn clear(&mut self) {
        self.rec_f64.clear();
        self.rec_i32.clear();
        self.hdr.clear();
        self.batch_f64.clear();
        self.batch_i32.clear();
        self.data.clear();
        self.inner.clear();
        self.next_offset = -1;
        self.consumed = 0;
    }
}

#[inline]
fn be_i64(b: &[u8], o: usize) -> i64 {
    i64::from_be_bytes([b[o], b[o + 1], b[o + 2], b[o + 3], b[o + 4], b[o + 5], b[o + 6], b[o + 7]])
}
#[inline]
fn be_i32(b: &[u8], o: usize) -> i32 {
    i32::from_be_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}
#[inline]
fn be_i16(b: &[u8], o: usize) -> i16 {
    i16::from_be_bytes([b[o], b[o + 1]])
}
#[inline]
fn safe(v: i64) -> bool {
    (-MAX_SAFE..=MAX_SAFE).contains(&v)
}
fn unsafe_int(what: &'static str) -> Error {
    Error::new(ErrorKind::UnsafeInteger, what)
}

/// Decodes every complete batch in `input`; a truncated trailing batch is ignored.
pub fn decode(input: &[u8], opts: &DecodeOptions, codecs: &mut Codecs, d: &mut Decoded) -> Result<()> {
    d.clear();
    if input.len() > (i32::MAX as usize) / 2 {
        return Err(Error::new(ErrorKind::InvalidArgument, "record set is too large"));
    }
    let max_decompressed = opts.max_decompressed.min((i32::MAX as usize) / 2);
    let opts = DecodeOptions { max_decompressed, ..*opts };
    let mut pos = 0usize;
    while input.len() - pos >= 12 {
        let base_offset = be_i64(input, pos);
        let size = be_i32(input, pos + 8);
        if size < 14 {
            return Err(Error::corrupt("record size is smaller than the minimum record overhead").at(base_offset, pos));
        }
        let end = pos + 12 + size as usize;
        if end > input.len() {
            break;
        }
        let r = match input[pos + 16] {
            2 => decode_v2(input, pos, end, &opts, codecs, d),
            0 | 1 => decode_legacy(input, pos, end, &opts, codecs, d),
            _ => Err(Error::corrupt("unknown magic byte")),
        };
        r.map_err(|e| e.at(base_offset, pos))?;
        pos = end;
    }
    d.consumed = pos;
    Ok(())
}

fn push_batch(d: &mut Decoded, f: [f64; BATCH_F64], i: [i32; BATCH_I32]) {
    d.batch_f64.extend_from_slice(&f);
    d.batch_i32.extend_from_slice(&i);
}

fn decode_v2(input: &[u8], start: usize, end: usize, opts: &DecodeOptions, codecs: &mut Codecs, d: &mut Decoded) -> Result<()> {
    let e = &input[start..end];
    if e.len() < 61 {
        return Err(Error::corrupt("record batch is smaller than its header"));
    }
    let base_offset = be_i64(e, 0);
    let leader_epoch = be_i32(e, 12);
    let stored = be_i32(e, 17) as u32;
    let attrs = be_i16(e, 21) as u16;
    let last_delta = be_i32(e, 23);
    let base_ts = be_i64(e, 27);
    let max_ts = be_i64(e, 35);
    let producer_id = be_i64(e, 43);
    let producer_epoch = be_i16(e, 51);
    let base_sequence = be_i32(e, 53);
    let count = be_i32(e, 57);
    if opts.verify_crc {
        let computed = crc32c(&e[21..]);
        if computed != stored {
            let mut err = Error::new(ErrorKind::CrcMismatch, "record batch CRC-32C does not match");
            err.stored = stored;
            err.computed = computed;
            return Err(err);
        }
    }
    if !safe(base_offset) || !safe(base_offset + last_delta as i64) {
        return Err(unsafe_int("batch offset is not a safe integer"));
    }
    if !safe(base_ts) || !safe(max_ts) || !safe(producer_id) {
        return Err(unsafe_int("batch timestamp or producer id is not a safe integer"));
    }
    if count < 0 || last_delta < 0 {
        return Err(Error::corrupt("negative record count or last offset delta"));
    }
    let codec_id = (attrs & 7) as u8;
    let log_append = attrs & 0x08 != 0;
    let control = attrs & 0x20 != 0;
    if codec_id > codec::ZSTD {
        return Err(Error::new(ErrorKind::UnsupportedCodec, "unknown compression codec in record batch"));
    }
    let in_len = input.len();
    let (region, base_pos) = if codec_id == codec::NONE {
        (&e[61..], start + 61)
    } else {
        let ds = d.data.len();
        codecs.decompress(codec_id, &e[61..], &mut d.data, opts.max_decompressed)?;
        if in_len + d.data.len() > i32::MAX as usize {
            return Err(Error::too_large());
        }
        (&d.data.as_slice()[ds..], in_len + ds)
    };
    let batch = d.batch_f64.len() / BATCH_F64;
    let first_record = d.rec_f64.len() / REC_F64;
    let mut control_type = -1i32;
    let bad = || Error::corrupt("record is malformed");
    let mut p = 0usize;
    for i in 0..count {
        let len = read_varint(region, &mut p).ok_or_else(bad)?;
        if len < 0 || p + len as usize > region.len() {
            return Err(Error::corrupt("record extends past the end of its batch"));
        }
        let rec_end = p + len as usize;
        let r = &region[..rec_end];
        p += 1; // attributes (unused)
        let ts_delta = read_varlong(r, &mut p).ok_or_else(bad)?;
        let off_delta = read_varint(r, &mut p).ok_or_else(bad)?;
        let key_len = read_varint(r, &mut p).ok_or_else(bad)?;
        let key_pos = p;
        if key_len < -1 || p + key_len.max(0) as usize > rec_end {
            return Err(bad());
        }
        p += key_len.max(0) as usize;
        let val_len = read_varint(r, &mut p).ok_or_else(bad)?;
        let val_pos = p;
        if val_len < -1 || p + val_len.max(0) as usize > rec_end {
            return Err(bad());
        }
        p += val_len.max(0) as usize;
        let header_count = read_varint(r, &mut p).ok_or_else(bad)?;
        if header_count < 0 {
            return Err(bad());
        }
        let offset = base_offset + off_delta as i64;
        let ts = if log_append { max_ts } else { base_ts.checked_add(ts_delta).unwrap_or(i64::MAX) };
        let emit = (!control || opts.include_control) && offset >= opts.min_offset;
        let first_header = d.hdr.len() / HDR_I32;
        for _ in 0..header_count {
            let hk = read_varint(r, &mut p).ok_or_else(bad)?;
            let hk_pos = p;
            if hk < 0 || p + hk as usize > rec_end {
                return Err(bad());
            }
            p += hk as usize;
            let hv = read_varint(r, &mut p).ok_or_else(bad)?;
            let hv_pos = p;
            if hv < -1 || p + hv.max(0) as usize > rec_end {
                return Err(bad());
            }
            p += hv.max(0) as usize;
            if emit {
                d.hdr.extend_from_slice(&[(base_pos + hk_pos) as i32, hk, (base_pos + hv_pos) as i32, hv]);
            }
        }
        if p != rec_end {
            return Err(Error::corrupt("record length does not match its content"));
        }
        if control && i == 0 && key_len >= 4 {
            control_type = be_i16(region, key_pos + 2) as i32;
        }
        if !emit {
            continue;
        }
        if !safe(offset) {
            return Err(unsafe_int("record offset is not a safe integer"));
        }
        if !safe(ts) {
            return Err(unsafe_int("record timestamp is not a safe integer"));
        }
        d.rec_f64.extend_from_slice(&[offset as f64, ts as f64]);
        d.rec_i32.extend_from_slice(&[
            (base_pos + key_pos) as i32,
            key_len,
            (base_pos + val_pos) as i32,
            val_len,
            first_header as i32,
            header_count,
            batch as i32,
            control as i32,
        ]);
    }
    if p != region.len() {
        return Err(Error::corrupt("record batch has bytes after its declared records"));
    }
    let last_offset = base_offset + last_delta as i64;
    let emitted = d.rec_f64.len() / REC_F64 - first_record;
    push_batch(
        d,
        [base_offset as f64, last_offset as f64, base_ts as f64, max_ts as f64, producer_id as f64],
        [
            2,
            attrs as i32,
            emitted as i32,
            first_record as i32,
            leader_epoch,
            producer_epoch as i32,
            base_sequence,
            control_type,
            count,
            start as i32,
        ],
    );
    d.next_offset = d.next_offset.max(last_offset + 1);
    Ok(())
}

/// One MessageSet v0/v1 entry; positions are relative to the buffer it was parsed from.
struct Legacy {
    offset: i64,
    magic: u8,
    attrs: u8,
    ts: i64,
    key_pos: usize,
    key_len: i32,
    val_pos: usize,
    val_len: i32,
}

/// Parses the entry `buf[start..end]` (offset, size, crc, magic, attributes, [timestamp], key, value).
fn parse_legacy(buf: &[u8], start: usize, end: usize, verify: bool) -> Result<Legacy> {
    let e = &buf[start..end];
    if e.len() < 26 {
        return Err(Error::corrupt("message is smaller than its header"));
    }
    let offset = be_i64(e, 0);
    let stored = be_i32(e, 12) as u32;
    let magic = e[16];
    let attrs = e[17];
    if magic > 1 {
        return Err(Error::corrupt("unknown magic byte in message set"));
    }
    let mut p = 18;
    let ts = if magic == 1 {
        if e.len() < 34 {
            return Err(Error::corrupt("message is smaller than its header"));
        }
        p += 8;
        be_i64(e, 18)
    } else {
        -1
    };
    let key_len = be_i32(e, p);
    p += 4;
    let key_pos = p;
    if key_len < -1 || p + key_len.max(0) as usize + 4 > e.len() {
        return Err(Error::corrupt("message key length is out of range"));
    }
    p += key_len.max(0) as usize;
    let val_len = be_i32(e, p);
    p += 4;
    let val_pos = p;
    if val_len < -1 || p + val_len.max(0) as usize != e.len() {
        return Err(Error::corrupt("message size does not match its content"));
    }
    if verify {
        let computed = crc32(&e[16..]);
        if computed != stored {
            let mut err = Error::new(ErrorKind::CrcMismatch, "message CRC-32 does not match");
            err.stored = stored;
            err.computed = computed;
            err.offset = offset;
            return Err(err);
        }
    }
    if !safe(offset) {
        return Err(unsafe_int("message offset is not a safe integer"));
    }
    if !safe(ts) {
        return Err(unsafe_int("message timestamp is not a safe integer"));
    }
    Ok(Legacy { offset, magic, attrs, ts, key_pos: start + key_pos, key_len, val_pos: start + val_pos, val_len })
}

fn decode_legacy(input: &[u8], start: usize, end: usize, opts: &DecodeOptions, codecs: &mut Codecs, d: &mut Decoded) -> Result<()> {
    let m = parse_legacy(input, start, end, opts.verify_crc)?;
    let codec_id = m.attrs & 7;
    let batch = (d.batch_f64.len() / BATCH_F64) as i32;
    let first_record = d.rec_f64.len() / REC_F64;
    let (first_offset, last_offset);
    let mut max_ts = m.ts;
    if codec_id == codec::NONE {
        if m.offset >= opts.min_offset {
            d.rec_f64.extend_from_slice(&[m.offset as f64, m.ts as f64]);
            d.rec_i32.extend_from_slice(&[m.key_pos as i32, m.key_len, m.val_pos as i32, m.val_len, 0, 0, batch, 0]);
        }
        first_offset = m.offset;
        last_offset = m.offset;
    } else {
        if codec_id > codec::LZ4 {
            return Err(Error::new(ErrorKind::UnsupportedCodec, "message set uses a codec that needs magic 2"));
        }
        if m.val_len < 0 {
            return Err(Error::corrupt("compressed message has a null value"));
        }
        let ds = d.data.len();
        let value = &input[m.val_pos..m.val_pos + m.val_len as usize];
        codecs.decompress(codec_id, value, &mut d.data, opts.max_decompressed)?;
        let base_pos = input.len() + ds;
        if base_pos + (d.data.len() - ds) > i32::MAX as usize {
            return Err(Error::too_large());
        }
        let inner = &d.data.as_slice()[ds..];
        d.inner.clear();
        let mut q = 0;
        while q < inner.len() {
            if inner.len() - q < 12 {
                return Err(Error::corrupt("compressed message set is truncated"));
            }
            let size = be_i32(inner, q + 8);
            if size < 14 || q + 12 + size as usize > inner.len() {
                return Err(Error::corrupt("compressed message set is truncated"));
            }
            let qe = q + 12 + size as usize;
            let im = parse_legacy(inner, q, qe, opts.verify_crc).map_err(|e| Error { offset: m.offset, ..e })?;
            if im.magic != m.magic {
                return Err(Error::corrupt("inner message magic differs from its wrapper"));
            }
            if im.attrs & 7 != 0 {
                return Err(Error::corrupt("inner message is compressed again"));
            }
            d.inner.push(Inner {
                offset: im.offset,
                ts: im.ts,
                key_pos: (base_pos + im.key_pos) as i32,
                key_len: im.key_len,
                val_pos: (base_pos + im.val_pos) as i32,
                val_len: im.val_len,
            });
            q = qe;
        }
        let last_inner = d.inner.last().map_or(0, |r| r.offset);
        // v1 inner offsets are relative: absolute = wrapper - lastRelative + relative. v0 are absolute.
        let shift = if m.magic == 1 && m.offset != 0 { m.offset - last_inner } else { 0 };
        let log_append = m.magic == 1 && m.attrs & 0x08 != 0;
        let mut first = i64::MAX;
        let mut last = m.offset;
        for r in d.inner.iter() {
            let off = r.offset.checked_add(shift).filter(|v| safe(*v)).ok_or(unsafe_int("message offset is not a safe integer"))?;
            let ts = if log_append { m.ts } else { r.ts };
            first = first.min(off);
            last = last.max(off);
            if !log_append {
                max_ts = max_ts.max(ts);
            }
            if off >= opts.min_offset {
                d.rec_f64.extend_from_slice(&[off as f64, ts as f64]);
                d.rec_i32.extend_from_slice(&[r.key_pos, r.key_len, r.val_pos, r.val_len, 0, 0, batch, 0]);
            }
        }
        first_offset = if first == i64::MAX { m.offset } else { first };
        last_offset = last;
    }
    let emitted = d.rec_f64.len() / REC_F64 - first_record;
    let declared = if codec_id == codec::NONE { 1 } else { d.inner.len() as i32 };
    push_batch(
        d,
        [first_offset as f64, last_offset as f64, m.ts as f64, max_ts as f64, -1.0],
        [m.magic as i32, m.attrs as i32, emitted as i32, first_record as i32, -1, -1, -1, -1, declared, start as i32],
    );
    d.next_offset = d.next_offset.max(last_offset + 1);
    Ok(())
}
