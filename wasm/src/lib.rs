//! denokafka's record hot path: Kafka record formats (MessageSet v0/v1,
//! RecordBatch v2), CRC-32/CRC-32C and the gzip, snappy, lz4 and zstd codecs,
//! exported to WebAssembly through a plain C ABI (no wasm-bindgen).
//!
//! Memory protocol: TypeScript writes inputs into the input arena
//! (`dk_input_reserve`), calls one function, then reads the result slots
//! (`dk_result_ptr`, an array of f64) which point at outputs inside this
//! module's memory. Every pointer stays valid until the next call. Functions
//! return a non-negative value on success and `-ErrorKind` on failure, with
//! the error details in the result slots.

pub mod buf;
pub mod codec;
pub mod crc;
pub mod decode;
pub mod encode;
pub mod error;
pub mod gzip;
pub mod lz4;
pub mod snappy;
pub mod varint;
pub mod zstd_codec;

#[cfg(test)]
mod tests;

use buf::{AlignedBuf, OutBuf};
use codec::Codecs;
use core::cell::UnsafeCell;
use decode::{DecodeOptions, Decoded};
use encode::{EncodeParams, Rec};
use error::Error;

/// Result slots shared with TypeScript (indices are part of the ABI).
pub mod slot {
    pub const RECORDS: usize = 0;
    pub const HEADERS: usize = 1;
    pub const BATCHES: usize = 2;
    pub const CONSUMED: usize = 3;
    pub const NEXT_OFFSET: usize = 4;
    pub const DATA_LEN: usize = 5;
    pub const REC_F64_PTR: usize = 6;
    pub const REC_I32_PTR: usize = 7;
    pub const HDR_PTR: usize = 8;
    pub const BATCH_F64_PTR: usize = 9;
    pub const BATCH_I32_PTR: usize = 10;
    pub const DATA_PTR: usize = 11;
    pub const OUT_PTR: usize = 12;
    pub const OUT_LEN: usize = 13;
    pub const ERR_KIND: usize = 16;
    pub const ERR_OFFSET: usize = 17;
    pub const ERR_POSITION: usize = 18;
    pub const ERR_STORED: usize = 19;
    pub const ERR_COMPUTED: usize = 20;
    pub const ERR_MSG_PTR: usize = 21;
    pub const ERR_MSG_LEN: usize = 22;
    pub const COUNT: usize = 24;
}

pub struct State {
    input: AlignedBuf,
    out: OutBuf,
    scratch: OutBuf,
    recs: Vec<Rec>,
    codecs: Codecs,
    decoded: Decoded,
    result: [f64; slot::COUNT],
}

impl State {
    pub fn new() -> Self {
        State {
            input: AlignedBuf::new(),
            out: OutBuf::new(),
            scratch: OutBuf::new(),
            recs: Vec::new(),
            codecs: Codecs::default(),
            decoded: Decoded::default(),
            result: [0.0; slot::COUNT],
        }
    }

    fn fail(&mut self, e: Error) -> i32 {
        let r = &mut self.result;
        r[slot::ERR_KIND] = e.kind as i32 as f64;
        r[slot::ERR_OFFSET] = e.offset as f64;
        r[slot::ERR_POSITION] = e.position as f64;
        r[slot::ERR_STORED] = e.stored as f64;
        r[slot::ERR_COMPUTED] = e.computed as f64;
        r[slot::ERR_MSG_PTR] = e.message.as_ptr() as usize as f64;
        r[slot::ERR_MSG_LEN] = e.message.len() as f64;
        -(e.kind as i32)
    }

    fn input(&self, len: usize) -> Option<&[u8]> {
        self.input.bytes().get(..len)
    }

    fn publish_out(&mut self) -> i32 {
        self.result[slot::OUT_PTR] = self.out.as_ptr() as usize as f64;
        self.result[slot::OUT_LEN] = self.out.len() as f64;
        self.out.len() as i32
    }

    pub fn compress(&mut self, codec: u32, len: usize, level: i32, flags: u32) -> i32 {
        self.out.clear();
        let Some(src) = self.input.bytes().get(..len) else {
            return self.fail(Error::new(error::ErrorKind::InvalidArgument, "input length exceeds the input arena"));
        };
        match self.codecs.compress(codec.min(255) as u8, src, &mut self.out, level, flags) {
            Ok(()) => self.publish_out(),
            Err(e) => self.fail(e),
        }
    }

    pub fn decompress(&mut self, codec: u32, len: usize, limit: usize) -> i32 {
        self.out.clear();
        let Some(src) = self.input.bytes().get(..len) else {
            return self.fail(Error::new(error::ErrorKind::InvalidArgument, "input length exceeds the input arena"));
        };
        let limit = limit.min(i32::MAX as usize);
        match self.codecs.decompress(codec.min(255) as u8, src, &mut self.out, limit) {
            Ok(()) => self.publish_out(),
            Err(e) => self.fail(e),
        }
    }

    pub fn encode(&mut self, n: usize, h: usize, bytes_len: usize, params: &EncodeParams) -> i32 {
        let input = self.input.bytes();
        let r = encode::encode(input, n, h, bytes_len, params, &mut self.codecs, &mut self.recs, &mut self.scratch, &mut self.out);
        match r {
            Ok(()) => {
                if self.out.len() > i32::MAX as usize {
                    return self.fail(Error::new(error::ErrorKind::InvalidArgument, "record set is too large"));
                }
                self.publish_out()
            }
            Err(e) => self.fail(e),
        }
    }

    pub fn decode(&mut self, len: usize, opts: &DecodeOptions) -> i32 {
        let Some(input) = self.input.bytes().get(..len) else {
            return self.fail(Error::new(error::ErrorKind::InvalidArgument, "input length exceeds the input arena"));
        };
        match decode::decode(input, opts, &mut self.codecs, &mut self.decoded) {
            Ok(()) => {
                let d = &self.decoded;
                let r = &mut self.result;
                r[slot::RECORDS] = d.records() as f64;
                r[slot::HEADERS] = d.headers() as f64;
                r[slot::BATCHES] = d.batches() as f64;
                r[slot::CONSUMED] = d.consumed as f64;
                r[slot::NEXT_OFFSET] = d.next_offset as f64;
                r[slot::DATA_LEN] = d.data.len() as f64;
                r[slot::REC_F64_PTR] = d.rec_f64.as_ptr() as usize as f64;
                r[slot::REC_I32_PTR] = d.rec_i32.as_ptr() as usize as f64;
                r[slot::HDR_PTR] = d.hdr.as_ptr() as usize as f64;
                r[slot::BATCH_F64_PTR] = d.batch_f64.as_ptr() as usize as f64;
                r[slot::BATCH_I32_PTR] = d.batch_i32.as_ptr() as usize as f64;
                r[slot::DATA_PTR] = d.data.as_ptr() as usize as f64;
                0
            }
            Err(e) => self.fail(e),
        }
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

struct Global(UnsafeCell<Option<State>>);
// SAFETY: WebAssembly instances of this module are single-threaded and the
// exports are not re-entered; host tests never touch the global.
unsafe impl Sync for Global {}
static GLOBAL: Global = Global(UnsafeCell::new(None));

#[allow(clippy::mut_from_ref)]
fn state() -> &'static mut State {
    // SAFETY: see `Global`.
    unsafe { (*GLOBAL.0.get()).get_or_insert_with(State::new) }
}

fn to_usize(v: f64) -> usize {
    if v.is_finite() && v > 0.0 {
        if v >= usize::MAX as f64 {
            usize::MAX
        } else {
            v as usize
        }
    } else {
        0
    }
}

/// Pointer to the result slots (`slot::COUNT` f64 values).
#[no_mangle]
pub extern "C" fn dk_result_ptr() -> *const f64 {
    state().result.as_ptr()
}

/// Makes the input arena at least `len` bytes long (8-byte aligned); returns its address or 0.
#[no_mangle]
pub extern "C" fn dk_input_reserve(len: u32) -> *mut u8 {
    let s = state();
    match s.input.ensure(len as usize) {
        Ok(()) => s.input.as_mut_ptr(),
        Err(_) => core::ptr::null_mut(),
    }
}

/// CRC-32 (IEEE) of the first `len` input bytes.
#[no_mangle]
pub extern "C" fn dk_crc32(len: u32) -> u32 {
    state().input(len as usize).map_or(0, crc::crc32)
}

/// CRC-32C (Castagnoli) of the first `len` input bytes.
#[no_mangle]
pub extern "C" fn dk_crc32c(len: u32) -> u32 {
    state().input(len as usize).map_or(0, crc::crc32c)
}

/// Compresses the first `len` input bytes; returns the output length.
#[no_mangle]
pub extern "C" fn dk_compress(codec: u32, len: u32, level: i32, flags: u32) -> i32 {
    state().compress(codec, len as usize, level, flags)
}

/// Decompresses the first `len` input bytes into at most `limit` bytes; returns the output length.
#[no_mangle]
pub extern "C" fn dk_decompress(codec: u32, len: u32, limit: f64) -> i32 {
    state().decompress(codec, len as usize, to_usize(limit))
}

/// Encodes `n` records with `h` headers laid out in the input arena (see `encode`).
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn dk_encode(
    n: u32,
    h: u32,
    bytes_len: u32,
    magic: u32,
    codec: u32,
    level: i32,
    flags: u32,
    base_offset: f64,
    producer_id: f64,
    producer_epoch: i32,
    base_sequence: i32,
    transactional: u32,
) -> i32 {
    let s = state();
    let (Some(base_offset), Some(producer_id)) = (encode::f64_to_i64(base_offset), encode::f64_to_i64(producer_id)) else {
        return s.fail(Error::new(error::ErrorKind::InvalidArgument, "base offset or producer id is not a safe integer"));
    };
    let params = EncodeParams {
        magic: magic.min(255) as u8,
        codec: codec.min(255) as u8,
        level,
        flags,
        base_offset,
        producer_id,
        producer_epoch: producer_epoch as i16,
        base_sequence,
        transactional: transactional != 0,
    };
    s.encode(n as usize, h as usize, bytes_len as usize, &params)
}

/// Decodes the record set in the first `len` input bytes. `flags` bit 0: verify CRCs;
/// bit 1: include the records of control batches.
#[no_mangle]
pub extern "C" fn dk_decode(len: u32, flags: u32, max_decompressed: f64, min_offset: f64) -> i32 {
    let opts = DecodeOptions {
        verify_crc: flags & 1 != 0,
        max_decompressed: to_usize(max_decompressed),
        min_offset: if min_offset.is_finite() { min_offset as i64 } else { i64::MIN },
        include_control: flags & 2 != 0,
    };
    state().decode(len as usize, &opts)
}
