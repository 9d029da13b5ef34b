//! Record-level tests: encode/decode round trips for every format and codec,
//! the Kafka quirks (relative offsets, LogAppendTime, control batches,
//! truncation) and corruption handling.

use crate::buf::OutBuf;
use crate::codec::{self, Codecs};
use crate::decode::{decode, DecodeOptions, Decoded, BATCH_F64, BATCH_I32, HDR_I32, REC_F64, REC_I32};
use crate::encode::testing::{layout_records, TestRecord};
use crate::encode::{encode, EncodeParams};
use crate::error::ErrorKind;

#[derive(Debug, PartialEq, Clone)]
struct Out {
    offset: i64,
    ts: i64,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    headers: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    batch: usize,
}

fn params(magic: u8, codec: u8) -> EncodeParams {
    EncodeParams {
        magic,
        codec,
        level: 0,
        flags: 0,
        base_offset: 0,
        producer_id: -1,
        producer_epoch: -1,
        base_sequence: -1,
        transactional: false,
    }
}

fn enc(recs: &[TestRecord], p: &EncodeParams) -> Vec<u8> {
    let (input, n, h, bl) = layout_records(recs);
    let mut out = OutBuf::new();
    let mut scratch = OutBuf::new();
    let mut rv = Vec::new();
    encode(&input, n, h, bl, p, &mut Codecs::default(), &mut rv, &mut scratch, &mut out).unwrap();
    out.as_slice().to_vec()
}

fn opts() -> DecodeOptions {
    DecodeOptions { verify_crc: true, max_decompressed: 1 << 30, min_offset: i64::MIN, include_control: false }
}

fn slice(input: &[u8], d: &Decoded, pos: i32, len: i32) -> Option<Vec<u8>> {
    if len < 0 {
        return None;
    }
    let (pos, len) = (pos as usize, len as usize);
    Some(if pos < input.len() { input[pos..pos + len].to_vec() } else { d.data.as_slice()[pos - input.len()..pos - input.len() + len].to_vec() })
}

fn dec_with(input: &[u8], o: &DecodeOptions) -> Result<(Vec<Out>, Decoded), crate::error::Error> {
    let mut d = Decoded::default();
    decode(input, o, &mut Codecs::default(), &mut d)?;
    let mut v = Vec::new();
    for i in 0..d.records() {
        let f = &d.rec_f64[i * REC_F64..];
        let r = &d.rec_i32[i * REC_I32..];
        let mut headers = Vec::new();
        for j in r[4]..r[4] + r[5] {
            let hh = &d.hdr[j as usize * HDR_I32..];
            headers.push((slice(input, &d, hh[0], hh[1]).unwrap(), slice(input, &d, hh[2], hh[3])));
        }
        v.push(Out {
            offset: f[0] as i64,
            ts: f[1] as i64,
            key: slice(input, &d, r[0], r[1]),
            value: slice(input, &d, r[2], r[3]),
            headers,
            batch: r[6] as usize,
        });
    }
    Ok((v, d))
}

fn dec(input: &[u8]) -> (Vec<Out>, Decoded) {
    dec_with(input, &opts()).unwrap()
}

fn sample(n: usize) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let keys = (0..n).map(|i| format!("key-{i}").into_bytes()).collect();
    let values = (0..n).map(|i| format!("value {i} {}", "x".repeat(i % 50)).into_bytes()).collect();
    (keys, values)
}

#[test]
fn every_magic_and_codec_roundtrips() {
    let (keys, values) = sample(300);
    for magic in [0u8, 1, 2] {
        for codec_id in [codec::NONE, codec::GZIP, codec::SNAPPY, codec::LZ4, codec::ZSTD] {
            if magic < 2 && codec_id == codec::ZSTD {
                continue;
            }
            let recs: Vec<TestRecord> = (0..300)
                .map(|i| TestRecord {
                    ts: 1_700_000_000_000 + (i as i64 * 7) % 100,
                    key: if i % 10 == 3 { None } else { Some(&keys[i][..]) },
                    value: if i % 17 == 5 { None } else { Some(&values[i][..]) },
                    headers: if magic == 2 && i % 3 == 0 { vec![("h1", Some(&b"v1"[..])), ("empty", None), ("", Some(&b""[..]))] } else { vec![] },
                })
                .collect();
            let mut p = params(magic, codec_id);
            p.base_offset = 1000;
            let bytes = enc(&recs, &p);
            let (out, d) = dec(&bytes);
            assert_eq!(out.len(), 300, "magic {magic} codec {codec_id}");
            for (i, (o, r)) in out.iter().zip(&recs).enumerate() {
                assert_eq!(o.offset, 1000 + i as i64);
                assert_eq!(o.ts, if magic == 0 { -1 } else { r.ts });
                assert_eq!(o.key.as_deref(), r.key);
                assert_eq!(o.value.as_deref(), r.value);
                let hs: Vec<(Vec<u8>, Option<Vec<u8>>)> = r.headers.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.map(|v| v.to_vec()))).collect();
                assert_eq!(o.headers, hs);
            }
            assert_eq!(d.next_offset, 1300);
            assert_eq!(d.consumed, bytes.len());
            let batch_magic = d.batch_i32[0];
            assert_eq!(batch_magic, magic as i32);
            assert_eq!(d.batch_i32[1] & 7, codec_id as i32);
            if codec_id != codec::NONE || magic == 2 {
                assert_eq!(d.batches(), 1);
                assert_eq!(d.batch_f64[0], 1000.0);
                assert_eq!(d.batch_f64[1], 1299.0);
            } else {
                assert_eq!(d.batches(), 300);
            }
        }
    }
}

#[test]
fn v2_header_fields_match_the_spec() {
    let recs = vec![
        TestRecord { ts: 5000, key: Some(b"k"), value: Some(b"v"), headers: vec![] },
        TestRecord { ts: 4000, key: None, value: Some(b"w"), headers: vec![] },
    ];
    let mut p = params(2, codec::NONE);
    p.base_offset = 42;
    p.producer_id = 77;
    p.producer_epoch = 3;
    p.base_sequence = 9;
    p.transactional = true;
    let b = enc(&recs, &p);
    assert_eq!(i64::from_be_bytes(b[0..8].try_into().unwrap()), 42);
    assert_eq!(i32::from_be_bytes(b[8..12].try_into().unwrap()) as usize, b.len() - 12);
    assert_eq!(i32::from_be_bytes(b[12..16].try_into().unwrap()), -1);
    assert_eq!(b[16], 2);
    assert_eq!(u32::from_be_bytes(b[17..21].try_into().unwrap()), crate::crc::crc32c(&b[21..]));
    assert_eq!(i16::from_be_bytes(b[21..23].try_into().unwrap()), 0x10);
    assert_eq!(i32::from_be_bytes(b[23..27].try_into().unwrap()), 1);
    assert_eq!(i64::from_be_bytes(b[27..35].try_into().unwrap()), 5000);
    assert_eq!(i64::from_be_bytes(b[35..43].try_into().unwrap()), 5000);
    assert_eq!(i64::from_be_bytes(b[43..51].try_into().unwrap()), 77);
    assert_eq!(i16::from_be_bytes(b[51..53].try_into().unwrap()), 3);
    assert_eq!(i32::from_be_bytes(b[53..57].try_into().unwrap()), 9);
    assert_eq!(i32::from_be_bytes(b[57..61].try_into().unwrap()), 2);
    // first record: length, attributes 0, tsDelta 0, offsetDelta 0, key "k", value "v", 0 headers
    assert_eq!(&b[61..69], &[16, 0, 0, 0, 2, b'k', 2, b'v']);
    assert_eq!(b[69], 0);
    let (out, d) = dec(&b);
    assert_eq!(out[1].ts, 4000);
    assert_eq!(out[1].key, None);
    assert_eq!(d.batch_f64[4], 77.0);
    assert_eq!(d.batch_i32[5], 3);
    assert_eq!(d.batch_i32[6], 9);
}

#[test]
fn legacy_v1_message_matches_java_layout() {
    let recs = vec![TestRecord { ts: 1234, key: Some(b"ab"), value: Some(b"xyz"), headers: vec![] }];
    let mut p = params(1, codec::NONE);
    p.base_offset = 7;
    let b = enc(&recs, &p);
    let size = 4 + 1 + 1 + 8 + 4 + 2 + 4 + 3;
    assert_eq!(b.len(), 12 + size);
    assert_eq!(i64::from_be_bytes(b[0..8].try_into().unwrap()), 7);
    assert_eq!(i32::from_be_bytes(b[8..12].try_into().unwrap()), size as i32);
    assert_eq!(u32::from_be_bytes(b[12..16].try_into().unwrap()), crate::crc::crc32(&b[16..]));
    assert_eq!(&b[16..18], &[1, 0]);
    assert_eq!(i64::from_be_bytes(b[18..26].try_into().unwrap()), 1234);
    assert_eq!(&b[26..32], &[0, 0, 0, 2, b'a', b'b']);
}

#[test]
fn legacy_wrapper_offsets_and_log_append_time() {
    let (keys, values) = sample(5);
    let recs: Vec<TestRecord> = (0..5).map(|i| TestRecord { ts: 100 + i as i64, key: Some(&keys[i][..]), value: Some(&values[i][..]), headers: vec![] }).collect();
    let b = enc(&recs, &params(1, codec::GZIP));
    // inner offsets are relative 0..4, wrapper offset is the last one (4); a broker would set it to e.g. 504.
    let mut fetched = b.clone();
    fetched[0..8].copy_from_slice(&504i64.to_be_bytes());
    // LogAppendTime: wrapper attribute bit 3 and the broker's timestamp.
    fetched[17] |= 0x08;
    fetched[18..26].copy_from_slice(&9999i64.to_be_bytes());
    let crc = crate::crc::crc32(&fetched[16..]);
    fetched[12..16].copy_from_slice(&crc.to_be_bytes());
    let (out, d) = dec(&fetched);
    assert_eq!(out.iter().map(|o| o.offset).collect::<Vec<_>>(), vec![500, 501, 502, 503, 504]);
    assert!(out.iter().all(|o| o.ts == 9999));
    assert_eq!(d.next_offset, 505);
    // unchanged wrapper timestamp type: inner timestamps are kept
    let (out, _) = dec(&b);
    assert_eq!(out.iter().map(|o| o.ts).collect::<Vec<_>>(), vec![100, 101, 102, 103, 104]);
    // v0: inner offsets are absolute
    let mut p = params(0, codec::LZ4);
    p.base_offset = 20;
    let b0 = enc(&recs, &p);
    let (out, d) = dec(&b0);
    assert_eq!(out.iter().map(|o| o.offset).collect::<Vec<_>>(), vec![20, 21, 22, 23, 24]);
    assert_eq!(d.next_offset, 25);
}

#[test]
fn several_batches_mixed_magic_and_truncated_tail() {
    let r1 = vec![TestRecord { ts: 1, key: None, value: Some(b"a"), headers: vec![] }];
    let r2 = vec![TestRecord { ts: 2, key: None, value: Some(b"b"), headers: vec![] }, TestRecord { ts: 3, key: None, value: Some(b"c"), headers: vec![] }];
    let mut p1 = params(1, codec::SNAPPY);
    p1.base_offset = 10;
    let mut p2 = params(2, codec::ZSTD);
    p2.base_offset = 11;
    let mut all = enc(&r1, &p1);
    let first_len = all.len();
    all.extend(enc(&r2, &p2));
    let full_len = all.len();
    let mut p3 = params(2, codec::NONE);
    p3.base_offset = 13;
    let third = enc(&r1, &p3);
    all.extend(&third[..third.len() - 5]);
    let (out, d) = dec(&all);
    assert_eq!(out.iter().map(|o| (o.offset, o.value.clone().unwrap())).collect::<Vec<_>>(), vec![(10, b"a".to_vec()), (11, b"b".to_vec()), (12, b"c".to_vec())]);
    assert_eq!(d.consumed, full_len);
    assert_eq!(d.next_offset, 13);
    assert_eq!(d.batches(), 2);
    assert_eq!(out[1].batch, 1);
    // only a partial batch: nothing decoded, next offset unknown
    let (out, d) = dec(&all[..first_len - 1]);
    assert!(out.is_empty());
    assert_eq!(d.next_offset, -1);
    assert_eq!(d.consumed, 0);
    let (out, _) = dec(&all[..7]);
    assert!(out.is_empty());
}

#[test]
fn control_batches_are_skipped_but_advance_the_offset() {
    // COMMIT marker: key = version 0, type 1; value = version 0, coordinator epoch 5.
    let recs = vec![TestRecord { ts: 50, key: Some(&[0, 0, 0, 1]), value: Some(&[0, 0, 0, 0, 0, 5]), headers: vec![] }];
    let mut p = params(2, codec::NONE);
    p.base_offset = 30;
    p.transactional = true;
    let mut b = enc(&recs, &p);
    b[22] |= 0x20; // isControl
    let crc = crate::crc::crc32c(&b[21..]);
    b[17..21].copy_from_slice(&crc.to_be_bytes());
    let data = vec![TestRecord { ts: 1, key: None, value: Some(b"d"), headers: vec![] }];
    let mut pd = params(2, codec::NONE);
    pd.base_offset = 29;
    let mut all = enc(&data, &pd);
    all.extend(&b);
    let (out, d) = dec(&all);
    assert_eq!(out.len(), 1);
    assert_eq!(d.next_offset, 31);
    assert_eq!(d.batches(), 2);
    let bi = &d.batch_i32[BATCH_I32..];
    assert_eq!(bi[7], 1, "control type COMMIT");
    assert_eq!(bi[2], 0, "no records emitted");
    assert_eq!(bi[1] & 0x30, 0x30);
    assert_eq!(d.batch_f64[BATCH_F64], 30.0);
    let (out, d) = dec_with(&all, &DecodeOptions { include_control: true, ..opts() }).unwrap();
    assert_eq!(out.len(), 2);
    assert_eq!(out[1].offset, 30);
    assert_eq!(out[1].key.as_deref(), Some(&[0u8, 0, 0, 1][..]));
    assert_eq!(d.rec_i32[REC_I32 + 7], 1);
    assert_eq!(d.rec_i32[7], 0);
}

#[test]
fn empty_compacted_batch_and_min_offset() {
    let recs: Vec<TestRecord> = (0..10).map(|i| TestRecord { ts: i, key: None, value: Some(b"v"), headers: vec![] }).collect();
    let mut p = params(2, codec::LZ4);
    p.base_offset = 100;
    let b = enc(&recs, &p);
    let (out, d) = dec_with(&b, &DecodeOptions { min_offset: 105, ..opts() }).unwrap();
    assert_eq!(out.iter().map(|o| o.offset).collect::<Vec<_>>(), vec![105, 106, 107, 108, 109]);
    assert_eq!(d.next_offset, 110);
    assert_eq!(d.batch_i32[2], 5);
    // A batch whose records were all compacted away: count 0, lastOffsetDelta still 9.
    let mut empty = enc(&recs[..1], &params(2, codec::NONE));
    empty.truncate(61);
    let len = (empty.len() - 12) as i32;
    empty[8..12].copy_from_slice(&len.to_be_bytes());
    empty[23..27].copy_from_slice(&9i32.to_be_bytes());
    empty[57..61].copy_from_slice(&0i32.to_be_bytes());
    let crc = crate::crc::crc32c(&empty[21..]);
    empty[17..21].copy_from_slice(&crc.to_be_bytes());
    let (out, d) = dec(&empty);
    assert!(out.is_empty());
    assert_eq!(d.next_offset, 10);
}

/// The consumer relies on this: every record the decoder returns is at or
/// after `min_offset`, for every format, including the records inside a
/// compressed v0/v1 wrapper or v2 batch that starts before it (a fetch at
/// an offset inside such a batch returns the whole batch).
#[test]
fn min_offset_filters_every_format_and_codec() {
    let recs: Vec<TestRecord> = (0..5).map(|i| TestRecord { ts: i, key: None, value: Some(b"v"), headers: vec![] }).collect();
    for magic in [0u8, 1, 2] {
        for codec_id in [codec::NONE, codec::GZIP, codec::SNAPPY, codec::LZ4, codec::ZSTD] {
            if magic < 2 && codec_id == codec::ZSTD {
                continue;
            }
            let mut all = Vec::new();
            for base in [100, 105] {
                let mut p = params(magic, codec_id);
                p.base_offset = base;
                all.extend(enc(&recs, &p));
            }
            for (min, want) in [(103, (103..110).collect::<Vec<i64>>()), (105, (105..110).collect()), (110, vec![]), (i64::MIN, (100..110).collect())] {
                let (out, d) = dec_with(&all, &DecodeOptions { min_offset: min, ..opts() }).unwrap();
                assert_eq!(out.iter().map(|o| o.offset).collect::<Vec<_>>(), want, "magic {magic} codec {codec_id} min {min}");
                assert_eq!(d.next_offset, 110, "magic {magic} codec {codec_id} min {min}");
            }
        }
    }
}

#[test]
fn flipped_bits_are_crc_errors_with_the_offset() {
    let recs: Vec<TestRecord> = (0..20).map(|i| TestRecord { ts: i, key: Some(b"key"), value: Some(b"value"), headers: vec![("h", Some(&b"x"[..]))] }).collect();
    for magic in [0u8, 1, 2] {
        let mut p = params(magic, codec::NONE);
        p.base_offset = 555;
        let recs: Vec<TestRecord> = recs.iter().map(|r| TestRecord { ts: r.ts, key: r.key, value: r.value, headers: if magic == 2 { r.headers.clone() } else { vec![] } }).collect();
        let b = enc(&recs, &p);
        let start = if magic == 2 { 21 } else { 16 };
        for bit in [start * 8, (b.len() - 1) * 8 + 3, (b.len() - 2) * 8 + 7, (start + 3) * 8] {
            let mut c = b.clone();
            c[bit / 8] ^= 1 << (bit % 8);
            let e = dec_with(&c, &opts()).map(|_| ()).unwrap_err();
            assert!(e.kind == ErrorKind::CrcMismatch || e.kind == ErrorKind::Corrupt, "{e:?}");
            if e.kind == ErrorKind::CrcMismatch {
                assert!(e.offset >= 555 && e.offset < 575, "{e:?}");
                assert_ne!(e.stored, e.computed);
            }
        }
        // the last byte of the batch (payload) always gives a CRC error
        let mut c = b.clone();
        let last = c.len() - 1;
        c[last] ^= 0x40;
        let e = dec_with(&c, &opts()).map(|_| ()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::CrcMismatch);
        assert_eq!(e.position, if magic == 2 { 0 } else { (last - (last % (b.len() / 20))) as i64 });
        // without verification the flipped value byte decodes
        assert!(dec_with(&c, &DecodeOptions { verify_crc: false, ..opts() }).is_ok());
    }
}

#[test]
fn zip_bomb_is_an_error_not_an_allocation() {
    let zeros = vec![0u8; 8 << 20];
    let recs = vec![TestRecord { ts: 0, key: None, value: Some(&zeros), headers: vec![] }];
    for c in [codec::GZIP, codec::SNAPPY, codec::LZ4, codec::ZSTD] {
        let b = enc(&recs, &params(2, c));
        assert!(b.len() < 1 << 20);
        let e = dec_with(&b, &DecodeOptions { max_decompressed: 1 << 20, ..opts() }).map(|_| ()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::TooLarge, "codec {c}");
        assert_eq!(e.offset, 0);
    }
}

#[test]
fn encoder_rejects_bad_input() {
    let recs = vec![TestRecord { ts: 0, key: None, value: None, headers: vec![("h", None)] }];
    let (input, n, h, bl) = layout_records(&recs);
    let run = |p: &EncodeParams, n: usize, bl: usize| {
        let mut out = OutBuf::new();
        encode(&input, n, h, bl, p, &mut Codecs::default(), &mut Vec::new(), &mut OutBuf::new(), &mut out).map(|_| ()).unwrap_err().kind
    };
    assert_eq!(run(&params(1, 0), n, bl), ErrorKind::InvalidArgument);
    assert_eq!(run(&params(2, 9), n, bl), ErrorKind::UnsupportedCodec);
    assert_eq!(run(&params(3, 0), n, bl), ErrorKind::InvalidArgument);
    assert_eq!(run(&params(2, 0), 0, bl), ErrorKind::InvalidArgument);
    assert_eq!(run(&params(2, 0), n, bl + 1000), ErrorKind::InvalidArgument);
    let recs = vec![TestRecord { ts: 0, key: None, value: None, headers: vec![] }];
    let (input, n, h, bl) = layout_records(&recs);
    let mut out = OutBuf::new();
    let e = encode(&input, n, h, bl, &params(1, codec::ZSTD), &mut Codecs::default(), &mut Vec::new(), &mut OutBuf::new(), &mut out);
    assert_eq!(e.unwrap_err().kind, ErrorKind::UnsupportedCodec);
}

/// A tiny deterministic PRNG so the mutation test needs no extra crate.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_inputs_never_panic() {
    let (keys, values) = sample(40);
    let mut seeds = Vec::new();
    for (magic, c) in [(2u8, 0u8), (2, 1), (2, 2), (2, 3), (2, 4), (1, 0), (1, 1), (1, 2), (1, 3), (0, 3), (0, 0)] {
        let recs: Vec<TestRecord> = (0..40)
            .map(|i| TestRecord { ts: i as i64, key: Some(&keys[i][..]), value: Some(&values[i][..]), headers: if magic == 2 { vec![("k", Some(&b"v"[..]))] } else { vec![] } })
            .collect();
        seeds.push(enc(&recs, &params(magic, c)));
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..3000 {
        let mut b = seeds[round % seeds.len()].clone();
        match rng.next() % 4 {
            0 => {
                for _ in 0..1 + rng.next() % 8 {
                    let i = (rng.next() as usize) % b.len();
                    b[i] = rng.next() as u8;
                }
            }
            1 => {
                let cut = (rng.next() as usize) % b.len();
                b.truncate(cut);
            }
            2 => {
                let i = (rng.next() as usize) % b.len();
                b.insert(i, rng.next() as u8);
            }
            _ => {
                b = (0..(rng.next() % 300) as usize).map(|_| rng.next() as u8).collect();
            }
        }
        let verify = rng.next() % 2 == 0;
        let _ = dec_with(&b, &DecodeOptions { verify_crc: verify, max_decompressed: 1 << 22, min_offset: i64::MIN, include_control: verify });
    }
}
