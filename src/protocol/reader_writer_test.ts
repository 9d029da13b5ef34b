import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import { ProtocolError } from "../errors/mod.ts";
import { Reader } from "./reader.ts";
import { Writer, ZERO_UUID } from "./writer.ts";

function bytes(...xs: number[]): Uint8Array {
  return new Uint8Array(xs);
}

function written(f: (w: Writer) => void): Uint8Array {
  const w = new Writer(16);
  f(w);
  return w.finish().slice();
}

Deno.test("fixed-width integers are big-endian", () => {
  assert.deepEqual(written((w) => w.int16(0x0102)), bytes(1, 2));
  assert.deepEqual(written((w) => w.int16(-2)), bytes(0xff, 0xfe));
  assert.deepEqual(written((w) => w.int32(-1)), bytes(0xff, 0xff, 0xff, 0xff));
  assert.deepEqual(
    written((w) => w.uint32(0xfffffffe)),
    bytes(0xff, 0xff, 0xff, 0xfe),
  );
  assert.deepEqual(
    written((w) => w.int64(0x0102030405)),
    bytes(0, 0, 0, 1, 2, 3, 4, 5),
  );
  assert.deepEqual(
    written((w) => w.int64(-2)),
    bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe),
  );
  assert.equal(
    new Reader(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe)).int64(),
    -2,
  );
  assert.equal(
    new Reader(written((w) => w.int64(Number.MIN_SAFE_INTEGER))).int64(),
    Number.MIN_SAFE_INTEGER,
  );
});

Deno.test("varints match Kafka's encoding", () => {
  // Values from Kafka's ByteUtilsTest: zigzag varint and uvarint.
  assert.deepEqual(written((w) => w.uvarint(0)), bytes(0));
  assert.deepEqual(written((w) => w.uvarint(300)), bytes(0xac, 0x02));
  assert.deepEqual(
    written((w) => w.uvarint(0xffffffff)),
    bytes(0xff, 0xff, 0xff, 0xff, 0x0f),
  );
  assert.deepEqual(written((w) => w.varint(-1)), bytes(1));
  assert.deepEqual(written((w) => w.varint(1)), bytes(2));
  assert.deepEqual(written((w) => w.varint(-64)), bytes(0x7f));
  assert.deepEqual(written((w) => w.varint(64)), bytes(0x80, 0x01));
  assert.deepEqual(
    written((w) => w.varint(-2147483648)),
    bytes(0xff, 0xff, 0xff, 0xff, 0x0f),
  );
  assert.deepEqual(written((w) => w.varlong(-1)), bytes(1));
  assert.deepEqual(
    written((w) => w.varlong(2 ** 40)),
    bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x40),
  );
  for (
    const v of [
      0,
      1,
      -1,
      63,
      -64,
      64,
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 51,
      -(2 ** 51),
      2 ** 52 + 1,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
    ]
  ) {
    assert.equal(
      new Reader(written((w) => w.varlong(v))).varlong(),
      v,
      String(v),
    );
  }
  // MAX_SAFE_INTEGER zigzags to 2^54 - 2: 8 bytes of 7 bits.
  assert.equal(written((w) => w.varlong(Number.MAX_SAFE_INTEGER)).length, 8);
});

Deno.test("property: every primitive round-trips", () => {
  const prims = fc.record({
    b: fc.boolean(),
    i8: fc.integer({ min: -128, max: 127 }),
    i16: fc.integer({ min: -32768, max: 32767 }),
    u16: fc.integer({ min: 0, max: 65535 }),
    i32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    u32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    i64: fc.maxSafeInteger(),
    f64: fc.double(),
    uv: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    vi: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    vl: fc.maxSafeInteger(),
    s: fc.string({ unit: "grapheme", maxLength: 40 }),
    ns: fc.option(fc.string({ unit: "binary", maxLength: 40 })),
    cs: fc.string({ unit: "grapheme", maxLength: 300 }),
    cns: fc.option(fc.string({ maxLength: 10 })),
    by: fc.uint8Array({ maxLength: 50 }),
    nby: fc.option(fc.uint8Array({ maxLength: 50 })),
    cby: fc.uint8Array({ maxLength: 200 }),
    cnby: fc.option(fc.uint8Array({ maxLength: 50 })),
    uuid: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  });
  fc.assert(
    fc.property(prims, (p) => {
      const uuidText = btoa(String.fromCharCode(...p.uuid)).replace(/\+/g, "-")
        .replace(/\//g, "_").replace(/=+$/, "");
      const w = new Writer(8);
      w.bool(p.b);
      w.int8(p.i8);
      w.int16(p.i16);
      w.uint16(p.u16);
      w.int32(p.i32);
      w.uint32(p.u32);
      w.int64(p.i64);
      w.float64(p.f64);
      w.uvarint(p.uv);
      w.varint(p.vi);
      w.varlong(p.vl);
      w.string(p.s);
      w.nullableString(p.ns);
      w.compactString(p.cs);
      w.compactNullableString(p.cns);
      w.bytes(p.by);
      w.nullableBytes(p.nby);
      w.compactBytes(p.cby);
      w.compactNullableBytes(p.cnby);
      w.uuid(uuidText);
      w.raw(p.by);
      const r = new Reader(w.finish());
      assert.equal(r.bool(), p.b);
      assert.equal(r.int8(), p.i8);
      assert.equal(r.int16(), p.i16);
      assert.equal(r.uint16(), p.u16);
      assert.equal(r.int32(), p.i32);
      assert.equal(r.uint32(), p.u32);
      assert.equal(r.int64(), p.i64);
      assert.ok(Object.is(r.float64(), p.f64));
      assert.equal(r.uvarint(), p.uv);
      assert.equal(r.varint(), p.vi);
      assert.equal(r.varlong(), p.vl);
      assert.equal(r.string(), p.s);
      // Lone surrogates are not valid UTF-8: they come back as U+FFFD.
      assert.equal(r.nullableString(), p.ns?.toWellFormed() ?? null);
      assert.equal(r.compactString(), p.cs);
      assert.equal(r.compactNullableString(), p.cns?.toWellFormed() ?? null);
      assert.deepEqual(r.bytes(), p.by);
      assert.deepEqual(r.nullableBytes(), p.nby);
      assert.deepEqual(r.compactBytes(), p.cby);
      assert.deepEqual(r.compactNullableBytes(), p.cnby);
      assert.equal(r.uuid(), uuidText);
      assert.deepEqual(r.raw(p.by.length), p.by);
      assert.equal(r.remaining, 0);
    }),
    { numRuns: 300 },
  );
});

Deno.test("strings: UTF-8 byte lengths, not UTF-16 lengths", () => {
  const s = "héllo €𝄞";
  const utf8 = new TextEncoder().encode(s);
  const plain = written((w) => w.string(s));
  assert.equal(new DataView(plain.buffer).getInt16(0), utf8.length);
  assert.deepEqual(plain.subarray(2), utf8);
  const compact = written((w) => w.compactString(s));
  assert.equal(compact[0], utf8.length + 1);
  assert.deepEqual(compact.subarray(1), utf8);
  assert.deepEqual(written((w) => w.nullableString(null)), bytes(0xff, 0xff));
  assert.deepEqual(written((w) => w.compactNullableString(null)), bytes(0));
  assert.deepEqual(
    written((w) => w.nullableBytes(null)),
    bytes(0xff, 0xff, 0xff, 0xff),
  );
  // A string longer than 24 bytes takes the TextDecoder path.
  const long = "x".repeat(30) + "ü";
  assert.equal(new Reader(written((w) => w.string(long))).string(), long);
});

Deno.test("UUIDs use Kafka's URL-safe base64 text form", () => {
  assert.equal(new Reader(new Uint8Array(16)).uuid(), ZERO_UUID);
  const all = new Uint8Array(16).fill(0xff);
  assert.equal(new Reader(all).uuid(), "_____________________w");
  assert.deepEqual(written((w) => w.uuid("_____________________w")), all);
  for (
    const bad of [
      "",
      "AAAA",
      "A".repeat(23),
      "A".repeat(21) + "!",
      "_____________________x",
    ]
  ) {
    assert.throws(() => written((w) => w.uuid(bad)), ProtocolError, bad);
  }
});

Deno.test("the writer rejects values that do not fit, with ProtocolError", () => {
  const cases: [string, (w: Writer) => void][] = [
    ["int8 128", (w) => w.int8(128)],
    ["int16 1.5", (w) => w.int16(1.5)],
    ["int16 32768", (w) => w.int16(32768)],
    ["uint16 -1", (w) => w.uint16(-1)],
    ["int32 2^31", (w) => w.int32(2 ** 31)],
    ["int32 NaN", (w) => w.int32(NaN)],
    ["uint32 -1", (w) => w.uint32(-1)],
    ["int64 2^53", (w) => w.int64(2 ** 53)],
    ["int64 undefined", (w) => w.int64(undefined as unknown as number)],
    ["uvarint -1", (w) => w.uvarint(-1)],
    ["varlong 2^60", (w) => w.varlong(2 ** 60)],
    ["string null", (w) => w.string(null as unknown as string)],
    ["long string", (w) => w.string("x".repeat(40000))],
    ["bytes null", (w) => w.bytes(null as unknown as Uint8Array)],
  ];
  for (const [name, f] of cases) {
    assert.throws(() => f(new Writer()), ProtocolError, name);
  }
});

Deno.test("the writer grows, resets and patches", () => {
  const w = new Writer(1);
  for (let i = 0; i < 1000; i++) w.int32(i);
  assert.equal(w.length, 4000);
  const r = new Reader(w.finish());
  for (let i = 0; i < 1000; i++) assert.equal(r.int32(), i);
  w.reset();
  w.int32(0);
  w.string("ab");
  w.setInt32(0, w.length - 4);
  assert.deepEqual(w.finish(), bytes(0, 0, 0, 4, 0, 2, 0x61, 0x62));
  w.reset();
  w.int8(1);
  w.int8(2);
  w.insertUvarint(1, 300);
  assert.deepEqual(w.finish(), bytes(1, 0xac, 0x02, 2));
  assert.throws(() => w.insertUvarint(99, 1), RangeError);
  assert.throws(() => w.setInt32(2, 1), RangeError);
});

Deno.test("truncated input throws ProtocolError from every reader method", () => {
  const reads: [string, (r: Reader) => unknown][] = [
    ["bool", (r) => r.bool()],
    ["int8", (r) => r.int8()],
    ["int16", (r) => r.int16()],
    ["uint16", (r) => r.uint16()],
    ["int32", (r) => r.int32()],
    ["uint32", (r) => r.uint32()],
    ["int64", (r) => r.int64()],
    ["float64", (r) => r.float64()],
    ["uvarint", (r) => r.uvarint()],
    ["varint", (r) => r.varint()],
    ["varlong", (r) => r.varlong()],
    ["uuid", (r) => r.uuid()],
    ["string", (r) => r.string()],
    ["nullableString", (r) => r.nullableString()],
    ["compactString", (r) => r.compactString()],
    ["compactNullableString", (r) => r.compactNullableString()],
    ["bytes", (r) => r.bytes()],
    ["nullableBytes", (r) => r.nullableBytes()],
    ["compactBytes", (r) => r.compactBytes()],
    ["compactNullableBytes", (r) => r.compactNullableBytes()],
    ["raw", (r) => r.raw(1)],
    ["arrayLength", (r) => r.arrayLength()],
    ["compactArrayLength", (r) => r.compactArrayLength()],
    ["skipTaggedFields", (r) => r.skipTaggedFields()],
    ["skip", (r) => r.skip(1)],
  ];
  for (const [name, f] of reads) {
    assert.throws(() => f(new Reader(new Uint8Array(0))), ProtocolError, name);
    // Also with a partial value (a varint continuation byte) before the end.
    if (!["bool", "int8", "raw", "skip"].includes(name)) {
      assert.throws(() => f(new Reader(bytes(0x80))), ProtocolError, name);
    }
  }
});

Deno.test("hostile lengths and counts throw ProtocolError without allocating", () => {
  const huge = bytes(0x7f, 0xff, 0xff, 0xff, 1, 2, 3);
  assert.throws(() => new Reader(huge).bytes(), ProtocolError);
  assert.throws(() => new Reader(huge).arrayLength(), ProtocolError);
  assert.throws(() => new Reader(bytes(0x7f, 0xff, 1)).string(), ProtocolError);
  assert.throws(
    () => new Reader(bytes(0xff, 0xfe, 1)).nullableString(),
    /length -2/,
  );
  assert.throws(
    () => new Reader(bytes(0xff, 0xff, 0xff, 0xfe)).nullableBytes(),
    /length -2/,
  );
  assert.throws(
    () => new Reader(bytes(0xff, 0xff, 0xff, 0xfe)).arrayLength(),
    /length -2/,
  );
  assert.throws(() => new Reader(bytes(0xff, 0xff)).string(), /Non-nullable/);
  assert.throws(() => new Reader(bytes(0)).compactString(), /Non-nullable/);
  assert.throws(() => new Reader(bytes(0)).compactBytes(), /Non-nullable/);
  // uvarint count 2^32-1 for compact arrays.
  assert.throws(
    () => new Reader(bytes(0xff, 0xff, 0xff, 0xff, 0x0f)).compactArrayLength(),
    ProtocolError,
  );
  // A count that fits only if elements were smaller than their minimum size.
  assert.equal(
    new Reader(bytes(0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8)).arrayLength(4),
    2,
  );
  assert.throws(
    () => new Reader(bytes(0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8)).arrayLength(4),
    ProtocolError,
  );
  // Varints that are too long or too large.
  assert.throws(
    () => new Reader(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0x01)).uvarint(),
    ProtocolError,
  );
  assert.throws(
    () => new Reader(bytes(0xff, 0xff, 0xff, 0xff, 0x1f)).uvarint(),
    ProtocolError,
  );
  assert.throws(
    () => new Reader(new Uint8Array(11).fill(0xff)).varlong(),
    ProtocolError,
  );
  // 2^54 zigzag -> 2^53: not a safe integer.
  assert.throws(
    () =>
      new Reader(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20))
        .varlong(),
    /safe integer/,
  );
  // int64 beyond 2^53.
  assert.throws(
    () => new Reader(bytes(0, 0x20, 0, 0, 0, 0, 0, 0)).int64(),
    /safe integer/,
  );
  assert.throws(
    () =>
      new Reader(bytes(0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)).int64(),
    ProtocolError,
  );
  assert.equal(
    new Reader(bytes(0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)).int64(),
    Number.MAX_SAFE_INTEGER,
  );
  assert.deepEqual(
    new Reader(bytes(0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe)).int32s(2),
    [1, -2],
  );
  assert.throws(() => new Reader(bytes(0, 0, 0, 1)).int32s(2), ProtocolError);
  assert.throws(
    () => new Reader(bytes(0, 0, 0, 1)).int32s(2 ** 31),
    ProtocolError,
  );
  assert.throws(() => new Reader(bytes(1, 2)).skip(-1), ProtocolError);
  assert.throws(() => new Reader(bytes(1, 2)).raw(-1), ProtocolError);
  assert.throws(() => new Reader(bytes(1, 2)).seek(5), ProtocolError);
  // A tagged field whose size exceeds the data.
  assert.throws(
    () => new Reader(bytes(1, 0, 10, 1)).skipTaggedFields(),
    ProtocolError,
  );
  assert.throws(() => new Reader(new Uint8Array(4), 3, 2), RangeError);
});

Deno.test("a reader sees only its window of the buffer", () => {
  const buf = bytes(9, 9, 0, 1, 9);
  const r = new Reader(buf.subarray(1), 1, 3);
  assert.equal(r.offset, 1);
  assert.equal(r.int16(), 1);
  assert.equal(r.remaining, 0);
  assert.throws(() => r.int8(), ProtocolError);
  // bytes are views into the input
  const b = new Reader(bytes(0, 0, 0, 2, 7, 8)).bytes();
  assert.equal(b.byteOffset, 4);
});

Deno.test("property: random bytes never throw anything but ProtocolError", () => {
  const ops: ((r: Reader) => unknown)[] = [
    (r) => r.string(),
    (r) => r.compactNullableString(),
    (r) => r.bytes(),
    (r) => r.compactBytes(),
    (r) => r.varlong(),
    (r) => r.varint(),
    (r) => r.int64(),
    (r) => r.uuid(),
    (r) => r.skipTaggedFields(),
    (r) => r.arrayLength(3),
    (r) => r.compactArrayLength(1),
  ];
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 40 }),
      fc.array(fc.nat(ops.length - 1), { maxLength: 10 }),
      (buf, seq) => {
        const r = new Reader(buf);
        try {
          for (const i of seq) ops[i](r);
        } catch (e) {
          if (!(e instanceof ProtocolError)) throw e;
        }
      },
    ),
    { numRuns: 2000 },
  );
});
