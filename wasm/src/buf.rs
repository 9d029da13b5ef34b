//! Growable output buffer whose backing storage stays initialized.
//!
//! `buf.len()` is the initialized capacity (zero-filled once when it grows);
//! `len` is how much of it holds data. Codecs write straight into
//! [`OutBuf::spare`] without zeroing on every call, and the buffer is reused
//! across calls, so the steady state allocates nothing.

use crate::error::{Error, Result};

#[derive(Default)]
pub struct OutBuf {
    buf: Vec<u8>,
    len: usize,
}

impl OutBuf {
    pub fn new() -> Self {
        OutBuf { buf: Vec::new(), len: 0 }
    }
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }
    #[inline]
    pub fn clear(&mut self) {
        self.len = 0;
    }
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.buf[..self.len]
    }
    pub fn as_ptr(&self) -> *const u8 {
        self.buf.as_ptr()
    }
    /// Makes room for at least `extra` more bytes after `len`.
    #[inline]
    pub fn reserve(&mut self, extra: usize) -> Result<()> {
        let need = self.len.checked_add(extra).ok_or_else(Error::oom)?;
        if need > self.buf.len() {
            self.grow(need)?;
        }
        Ok(())
    }
    #[cold]
    fn grow(&mut self, need: usize) -> Result<()> {
        let target = need.max(self.buf.len().saturating_mul(2)).max(4096);
        let target = if target > need && target > (1 << 30) { need } else { target };
        let extra = target - self.buf.len();
        self.buf.try_reserve_exact(extra).map_err(|_| Error::oom())?;
        self.buf.resize(target, 0);
        Ok(())
    }
    /// The initialized bytes after `len` (at least what was reserved).
    #[inline]
    pub fn spare(&mut self) -> &mut [u8] {
        &mut self.buf[self.len..]
    }
    /// Marks `n` more bytes (written through [`OutBuf::spare`]) as data.
    #[inline]
    pub fn advance(&mut self, n: usize) {
        debug_assert!(self.len + n <= self.buf.len());
        self.len += n;
    }
    #[inline]
    pub fn truncate(&mut self, len: usize) {
        if len < self.len {
            self.len = len;
        }
    }
    #[inline]
    pub fn extend(&mut self, data: &[u8]) -> Result<()> {
        self.reserve(data.len())?;
        self.buf[self.len..self.len + data.len()].copy_from_slice(data);
        self.len += data.len();
        Ok(())
    }
}

/// A byte buffer aligned to 8 bytes, so TypeScript can lay `Float64Array`
/// and `Int32Array` views over it.
#[derive(Default)]
pub struct AlignedBuf {
    words: Vec<u64>,
}

impl AlignedBuf {
    pub fn new() -> Self {
        AlignedBuf { words: Vec::new() }
    }
    pub fn ensure(&mut self, bytes: usize) -> Result<()> {
        let words = bytes.div_ceil(8);
        if words > self.words.len() {
            let target = words.max(self.words.len().saturating_mul(3) / 2).max(512);
            self.words.try_reserve_exact(target - self.words.len()).map_err(|_| Error::oom())?;
            self.words.resize(target, 0);
        }
        Ok(())
    }
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.words.as_mut_ptr() as *mut u8
    }
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: u64 storage is initialized, u8 has no alignment requirement.
        unsafe { core::slice::from_raw_parts(self.words.as_ptr() as *const u8, self.words.len() * 8) }
    }
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as above; the borrow is unique.
        unsafe { core::slice::from_raw_parts_mut(self.words.as_mut_ptr() as *mut u8, self.words.len() * 8) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbuf_grows_and_keeps_data() {
        let mut b = OutBuf::new();
        b.extend(b"hello").unwrap();
        b.reserve(100_000).unwrap();
        assert!(b.spare().len() >= 100_000);
        b.spare()[..3].copy_from_slice(b"abc");
        b.advance(3);
        assert_eq!(b.as_slice(), b"helloabc");
        b.truncate(2);
        assert_eq!(b.as_slice(), b"he");
        b.clear();
        assert_eq!(b.len(), 0);
    }

    #[test]
    fn aligned_buf_is_aligned() {
        let mut a = AlignedBuf::new();
        a.ensure(100).unwrap();
        assert_eq!(a.as_mut_ptr() as usize % 8, 0);
        assert!(a.bytes().len() >= 100);
    }
}
