// Every generated message at every version, both directions: encode random
// valid values, decode, compare with the values (fields the version lacks
// come back as their defaults), re-encode to the same bytes. Then truncated,
// mutated and random input to every decoder: ProtocolError or success,
// nothing else.
import assert from "node:assert/strict";
import fc from "fast-check";
import { ProtocolError } from "../../src/errors/mod.ts";
import { Reader, Writer } from "../../src/protocol/mod.ts";
import type { MessageModel } from "../../tools/codegen/model.ts";
import {
  apiCases,
  dataCases,
  expected,
  type Obj,
  structArb,
} from "./_model.ts";

const RUNS = Number(Deno.env.get("ROUNDTRIP_RUNS") ?? 25);
const APIS = apiCases();
const DATA = dataCases();

interface Codec {
  label: string;
  model: MessageModel;
  encode(w: Writer, v: number, m: unknown): void;
  decode(r: Reader, v: number): unknown;
}

const codecs: Codec[] = [];
for (const c of APIS) {
  codecs.push({
    label: `${c.name}Request`,
    model: c.request,
    encode: (w, v, m) => c.api.encodeRequest(w, v, m),
    decode: (r, v) => c.api.decodeRequest(r, v),
  });
  codecs.push({
    label: `${c.name}Response`,
    model: c.response,
    encode: (w, v, m) => c.api.encodeResponse(w, v, m),
    decode: (r, v) => c.api.decodeResponse(r, v),
  });
}
for (const d of DATA) {
  codecs.push({
    label: d.name,
    model: d.model,
    encode: (w, v, m) => d.schema.encode(w, v, m),
    decode: (r, v) => d.schema.decode(r, v),
  });
}

function encode(c: Codec, v: number, m: unknown): Uint8Array {
  const w = new Writer(64);
  c.encode(w, v, m);
  return w.finish().slice();
}

Deno.test("the API objects match the specs", () => {
  assert.equal(APIS.length, 31);
  for (const c of APIS) {
    const u = c.request.universe;
    assert.equal(c.api.name, c.name);
    assert.equal(c.api.apiKey, c.request.apiKey);
    assert.equal(c.api.minVersion, u[0]);
    assert.equal(c.api.maxVersion, u[u.length - 1]);
    assert.equal(
      c.api.firstFlexibleVersion,
      c.request.flexible.length ? c.request.flexible[0] : -1,
    );
  }
  const byName = new Map(APIS.map((c) => [c.name, c.api]));
  // Versions the issue relies on: the 3.9 fallback and stable maxima.
  const expect: [string, number, number, number][] = [
    ["Produce", 0, 13, 9],
    ["Fetch", 0, 18, 12],
    ["ListOffsets", 0, 10, 6],
    ["Metadata", 0, 13, 9],
    ["OffsetCommit", 0, 9, 8],
    ["OffsetFetch", 0, 9, 6],
    ["InitProducerId", 0, 5, 2],
    ["SaslHandshake", 0, 1, -1],
    ["ApiVersions", 0, 4, 3],
    ["CreateTopics", 0, 7, 5],
    ["ConsumerGroupHeartbeat", 0, 1, 0],
    ["ConsumerGroupDescribe", 0, 1, 0],
  ];
  for (const [name, min, max, flex] of expect) {
    const api = byName.get(name)!;
    assert.deepEqual(
      [api.minVersion, api.maxVersion, api.firstFlexibleVersion],
      [min, max, flex],
      name,
    );
  }
});

for (const c of codecs) {
  Deno.test(`round trip: ${c.label} at every version`, () => {
    for (const v of c.model.universe) {
      fc.assert(
        fc.property(structArb(c.model.root, v), (m: Obj) => {
          const bytes = encode(c, v, m);
          const r = new Reader(bytes);
          const back = c.decode(r, v);
          assert.equal(r.remaining, 0, `${c.label} v${v}: bytes left over`);
          assert.deepStrictEqual(back, expected(c.model.root, v, m));
          // The decoded object encodes to the same bytes.
          assert.deepStrictEqual(encode(c, v, back), bytes);
        }),
        { numRuns: RUNS },
      );
    }
  });
}

for (const c of codecs) {
  Deno.test(`hostile input: ${c.label} decoders throw only ProtocolError`, () => {
    for (const v of c.model.universe) {
      // Every strict prefix of a valid encoding is truncated.
      const sample = fc.sample(structArb(c.model.root, v), {
        numRuns: 3,
        seed: v,
      });
      for (const m of sample) {
        const bytes = encode(c, v, m);
        for (let n = 0; n < bytes.length; n++) {
          assert.throws(
            () => c.decode(new Reader(bytes.subarray(0, n)), v),
            ProtocolError,
            `${c.label} v${v} truncated to ${n} of ${bytes.length}`,
          );
        }
      }
      // Mutated valid encodings and random bytes: decoded or ProtocolError.
      fc.assert(
        fc.property(
          structArb(c.model.root, v),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 4,
          }),
          fc.uint8Array({ maxLength: 64 }),
          (m, flips, random) => {
            const bytes = encode(c, v, m);
            for (const [i, b] of flips) {
              if (bytes.length) bytes[i % bytes.length] = b;
            }
            for (const input of [bytes, random]) {
              try {
                c.decode(new Reader(input), v);
              } catch (e) {
                if (!(e instanceof ProtocolError)) throw e;
              }
            }
          },
        ),
        { numRuns: 30 },
      );
    }
  });
}
