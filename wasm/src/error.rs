//! Error values shared by every codec and record routine.
//!
//! Exported functions never panic: they turn an [`Error`] into a negative
//! return code and fill the error slots of the result area, which the
//! TypeScript side turns into a typed `KafkaError`.

/// What went wrong, as seen from TypeScript (the numeric values are part of the ABI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum ErrorKind {
    /// The bytes are not a valid record set or compressed stream.
    Corrupt = 1,
    /// A CRC-32 (v0/v1) or CRC-32C (v2) did not match.
    CrcMismatch = 2,
    /// Decompressed data would exceed the caller's limit.
    TooLarge = 3,
    /// The compression codec id is not known (or not valid for the record format).
    UnsupportedCodec = 4,
    /// The WebAssembly heap could not grow.
    OutOfMemory = 5,
    /// An offset or timestamp is outside the range of safe JavaScript integers.
    UnsafeInteger = 6,
    /// The caller passed arguments that make no sense (for example headers with magic 0).
    InvalidArgument = 7,
}

/// An error with enough context for a useful message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: &'static str,
    /// Offset of the batch or message the error was found in, or -1.
    pub offset: i64,
    /// Byte position (in the input) of that batch or message, or -1.
    pub position: i64,
    /// For CRC errors: the stored and the computed checksum.
    pub stored: u32,
    pub computed: u32,
}

impl Error {
    pub const fn new(kind: ErrorKind, message: &'static str) -> Self {
        Error { kind, message, offset: -1, position: -1, stored: 0, computed: 0 }
    }
    pub const fn corrupt(message: &'static str) -> Self {
        Error::new(ErrorKind::Corrupt, message)
    }
    pub const fn oom() -> Self {
        Error::new(ErrorKind::OutOfMemory, "cannot grow the WebAssembly heap")
    }
    pub const fn too_large() -> Self {
        Error::new(ErrorKind::TooLarge, "decompressed data exceeds maxDecompressedBytes")
    }
    /// Adds the batch offset and input position unless already set.
    pub fn at(mut self, offset: i64, position: usize) -> Self {
        if self.offset < 0 {
            self.offset = offset;
        }
        if self.position < 0 {
            self.position = position as i64;
        }
        self
    }
}

pub type Result<T> = core::result::Result<T, Error>;
