//! Zig-zag varints as used inside RecordBatch v2 records (protobuf `sint32`/`sint64`).

/// Reads a zig-zag varint of at most 5 bytes (Java's `ByteUtils.readVarint`).
#[inline]
pub fn read_varint(buf: &[u8], pos: &mut usize) -> Option<i32> {
    let mut p = *pos;
    let mut value: u32 = 0;
    let mut shift = 0u32;
    loop {
        let b = *buf.get(p)?;
        p += 1;
        value |= ((b & 0x7f) as u32) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 28 {
            return None;
        }
    }
    *pos = p;
    Some(((value >> 1) as i32) ^ -((value & 1) as i32))
}

/// Reads a zig-zag varlong of at most 10 bytes.
#[inline]
pub fn read_varlong(buf: &[u8], pos: &mut usize) -> Option<i64> {
    let mut p = *pos;
    let mut value: u64 = 0;
    let mut shift = 0u32;
    loop {
        let b = *buf.get(p)?;
        p += 1;
        value |= ((b & 0x7f) as u64) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
    *pos = p;
    Some(((value >> 1) as i64) ^ -((value & 1) as i64))
}

#[inline]
pub fn varint_size(v: i32) -> usize {
    varlong_size(v as i64)
}

#[inline]
pub fn varlong_size(v: i64) -> usize {
    let mut z = ((v << 1) ^ (v >> 63)) as u64;
    let mut n = 1;
    while z >= 0x80 {
        z >>= 7;
        n += 1;
    }
    n
}

/// Writes a zig-zag varint at `pos` in `out`, returning the new position.
#[inline]
pub fn write_varint(out: &mut [u8], pos: usize, v: i32) -> usize {
    write_varlong(out, pos, v as i64)
}

#[inline]
pub fn write_varlong(out: &mut [u8], mut pos: usize, v: i64) -> usize {
    let mut z = ((v << 1) ^ (v >> 63)) as u64;
    while z >= 0x80 {
        out[pos] = (z as u8) | 0x80;
        z >>= 7;
        pos += 1;
    }
    out[pos] = z as u8;
    pos + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_edges() {
        let values: [i64; 12] = [0, 1, -1, 63, -64, 64, 300, -300, i32::MAX as i64, i32::MIN as i64, i64::MAX, i64::MIN];
        for &v in &values {
            let mut b = [0u8; 10];
            let end = write_varlong(&mut b, 0, v);
            assert_eq!(end, varlong_size(v));
            let mut p = 0;
            assert_eq!(read_varlong(&b, &mut p), Some(v));
            assert_eq!(p, end);
            if v >= i32::MIN as i64 && v <= i32::MAX as i64 {
                let mut p = 0;
                assert_eq!(read_varint(&b, &mut p), Some(v as i32));
            }
        }
    }

    #[test]
    fn known_encodings() {
        // protobuf sint32 zig-zag: 0 -> 00, -1 -> 01, 1 -> 02, 150 -> ac 02
        let mut b = [0u8; 10];
        let n = write_varint(&mut b, 0, -1);
        assert_eq!(&b[..n], &[1]);
        let n = write_varint(&mut b, 0, 1);
        assert_eq!(&b[..n], &[2]);
        let n = write_varint(&mut b, 0, 150);
        assert_eq!(&b[..n], &[0xac, 0x02]);
    }

    #[test]
    fn rejects_overlong_and_truncated() {
        let mut p = 0;
        assert_eq!(read_varint(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01], &mut p), None);
        let mut p = 0;
        assert_eq!(read_varint(&[0x80], &mut p), None);
        let mut p = 0;
        assert_eq!(read_varlong(&[0xff; 11], &mut p), None);
    }
}
