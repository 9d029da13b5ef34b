// Behaviour of the generated codecs and the headers beyond plain round trips:
// version checks, ignorable and non-ignorable fields, tagged fields, headers.
import assert from "node:assert/strict";
import { ProtocolError, UnsupportedVersionError } from "../errors/mod.ts";
import {
  API_BY_KEY,
  ApiVersions,
  type ApiVersionsResponse,
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  Fetch,
  Metadata,
  Produce,
  Reader,
  requestHeaderVersion,
  responseHeaderVersion,
  SaslHandshake,
  Writer,
  ZERO_UUID,
} from "./mod.ts";

function enc(f: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  f(w);
  return w.finish().slice();
}

Deno.test("API_BY_KEY has every API under its key", () => {
  assert.equal(API_BY_KEY.size, 31);
  assert.equal(API_BY_KEY.get(0), Produce);
  assert.equal(API_BY_KEY.get(3), Metadata);
  assert.equal(API_BY_KEY.get(18), ApiVersions);
  for (const [key, api] of API_BY_KEY) assert.equal(api.apiKey, key);
});

Deno.test("versions outside the known range throw UnsupportedVersionError", () => {
  for (const v of [-1, 14, 1.5, NaN]) {
    assert.throws(
      () => enc((w) => Metadata.encodeRequest(w, v, { topics: null })),
      UnsupportedVersionError,
    );
    assert.throws(
      () => Metadata.decodeResponse(new Reader(new Uint8Array(100)), v),
      UnsupportedVersionError,
    );
  }
});

Deno.test("a non-default value of a field the version lacks: thrown unless ignorable", () => {
  // AllowAutoTopicCreation (v4+) is not ignorable: false cannot be said in v3.
  assert.throws(
    () =>
      enc((w) =>
        Metadata.encodeRequest(w, 3, {
          topics: null,
          allowAutoTopicCreation: false,
        })
      ),
    (e: unknown) =>
      e instanceof UnsupportedVersionError &&
      /AllowAutoTopicCreation/.test(e.message),
  );
  // Its default is fine, and so is leaving it out.
  enc((w) =>
    Metadata.encodeRequest(w, 3, { topics: null, allowAutoTopicCreation: true })
  );
  enc((w) => Metadata.encodeRequest(w, 3, { topics: null }));
  // ThrottleTimeMs (v3+) is ignorable: dropped in v0.
  const bytes = enc((w) =>
    Metadata.encodeResponse(w, 0, {
      throttleTimeMs: 500,
      brokers: [],
      topics: [],
    })
  );
  assert.deepEqual(bytes, new Uint8Array(8));
  assert.equal(Metadata.decodeResponse(new Reader(bytes), 0).throttleTimeMs, 0);
});

Deno.test("null where a version does not allow it throws ProtocolError", () => {
  // Metadata v0 has a non-nullable topic array.
  assert.throws(
    () => enc((w) => Metadata.encodeRequest(w, 0, { topics: null })),
    ProtocolError,
  );
  assert.throws(
    () =>
      Metadata.decodeRequest(
        new Reader(new Uint8Array([255, 255, 255, 255])),
        0,
      ),
    ProtocolError,
  );
  // v1+ allows null (all topics).
  assert.equal(
    Metadata.decodeRequest(new Reader(new Uint8Array([255, 255, 255, 255])), 1)
      .topics,
    null,
  );
});

function apiVersionsV3(extraTags: Uint8Array): Uint8Array {
  // errorCode 0, apiKeys [ {3, 0, 12} ], throttle 7, then a tagged section.
  return new Uint8Array([
    0,
    0, // error code
    2,
    0,
    3,
    0,
    0,
    0,
    12,
    0, // compact array of 1: key 3, min 0, max 12, no tags
    0,
    0,
    0,
    7, // throttle
    ...extraTags,
  ]);
}

Deno.test("tagged fields: known ones decoded, unknown ones skipped", () => {
  // Tag 1 FinalizedFeaturesEpoch (int64 = 42) and an unknown tag 9 of 3 bytes.
  const body = apiVersionsV3(
    new Uint8Array([2, 1, 8, 0, 0, 0, 0, 0, 0, 0, 42, 9, 3, 1, 2, 3]),
  );
  const r = new Reader(body);
  const res = ApiVersions.decodeResponse(r, 3);
  assert.equal(r.remaining, 0);
  assert.equal(res.finalizedFeaturesEpoch, 42);
  assert.equal(res.throttleTimeMs, 7);
  assert.deepEqual(res.apiKeys, [{ apiKey: 3, minVersion: 0, maxVersion: 12 }]);
  assert.deepEqual(res.supportedFeatures, []);
  assert.equal(res.zkMigrationReady, false);
  // Written back, only the known non-default tag is kept.
  const again = enc((w) => ApiVersions.encodeResponse(w, 3, res));
  assert.deepEqual(
    again,
    apiVersionsV3(new Uint8Array([1, 1, 8, 0, 0, 0, 0, 0, 0, 0, 42])),
  );
});

Deno.test("tagged fields: a value that overruns its size is a ProtocolError", () => {
  // Tag 1 claims 4 bytes but an int64 needs 8 (and 8 are there).
  const body = apiVersionsV3(
    new Uint8Array([1, 1, 4, 0, 0, 0, 0, 0, 0, 0, 42]),
  );
  assert.throws(
    () => ApiVersions.decodeResponse(new Reader(body), 3),
    /overran/,
  );
  // A known tag whose value is shorter than its size: the rest is skipped.
  const longer = apiVersionsV3(new Uint8Array([1, 3, 2, 1, 0x55]));
  const res: ApiVersionsResponse = ApiVersions.decodeResponse(
    new Reader(longer),
    3,
  );
  assert.equal(res.zkMigrationReady, true);
});

Deno.test("tagged struct fields are written only when not default", () => {
  const partition = {
    partitionIndex: 0,
    errorCode: 0,
    highWatermark: 10,
    records: null,
  };
  const plain = enc((w) =>
    Fetch.encodeResponse(w, 12, {
      responses: [{ topic: "t", partitions: [partition] }],
    })
  );
  const withLeader = enc((w) =>
    Fetch.encodeResponse(w, 12, {
      responses: [{
        topic: "t",
        partitions: [{
          ...partition,
          currentLeader: { leaderId: 2, leaderEpoch: 5 },
        }],
      }],
    })
  );
  // tag 1, size, leaderId int32, leaderEpoch int32, struct tag section = 11 bytes
  assert.equal(withLeader.length, plain.length + 11);
  const back = Fetch.decodeResponse(new Reader(withLeader), 12);
  const p = back.responses[0].partitions[0];
  assert.deepEqual(p.currentLeader, { leaderId: 2, leaderEpoch: 5 });
  assert.deepEqual(p.divergingEpoch, { epoch: -1, endOffset: -1 });
  assert.equal(back.responses[0].topicId, ZERO_UUID);
});

Deno.test("SaslHandshake is never flexible; ApiVersions is always header v0", () => {
  assert.equal(SaslHandshake.firstFlexibleVersion, -1);
  assert.equal(requestHeaderVersion(SaslHandshake, 1), 1);
  assert.equal(responseHeaderVersion(SaslHandshake, 1), 0);
  for (const v of [0, 1, 2, 3, 4]) {
    assert.equal(responseHeaderVersion(ApiVersions, v), 0);
    assert.equal(requestHeaderVersion(ApiVersions, v), v >= 3 ? 2 : 1);
  }
  assert.equal(requestHeaderVersion(Produce, 8), 1);
  assert.equal(requestHeaderVersion(Produce, 9), 2);
  assert.equal(responseHeaderVersion(Produce, 9), 1);
  assert.equal(responseHeaderVersion(Metadata, 8), 0);
});

Deno.test("request and response headers: layouts", () => {
  const h = {
    apiKey: 18,
    apiVersion: 3,
    correlationId: 0x01020304,
    clientId: "ab",
  };
  const v1 = enc((w) => encodeRequestHeader(w, h, 1));
  assert.deepEqual(
    v1,
    new Uint8Array([0, 18, 0, 3, 1, 2, 3, 4, 0, 2, 0x61, 0x62]),
  );
  const v2 = enc((w) => encodeRequestHeader(w, h, 2));
  // client id keeps its int16 length in v2, then an empty tagged section.
  assert.deepEqual(
    v2,
    new Uint8Array([0, 18, 0, 3, 1, 2, 3, 4, 0, 2, 0x61, 0x62, 0]),
  );
  assert.deepEqual(decodeRequestHeader(new Reader(v2), 2), h);
  const nullId = enc((w) =>
    encodeRequestHeader(w, { ...h, clientId: null }, 1)
  );
  assert.deepEqual(nullId.subarray(8), new Uint8Array([0xff, 0xff]));
  assert.equal(decodeRequestHeader(new Reader(nullId), 1).clientId, null);

  assert.deepEqual(
    enc((w) => encodeResponseHeader(w, { correlationId: 9 }, 0)),
    new Uint8Array([0, 0, 0, 9]),
  );
  assert.deepEqual(
    enc((w) => encodeResponseHeader(w, { correlationId: 9 }, 1)),
    new Uint8Array([0, 0, 0, 9, 0]),
  );
  // A v1 response header with a tagged field is skipped over.
  const r = new Reader(new Uint8Array([0, 0, 0, 9, 1, 5, 2, 7, 7, 0xaa]));
  assert.equal(decodeResponseHeader(r, 1).correlationId, 9);
  assert.equal(r.remaining, 1);
  assert.throws(
    () => decodeResponseHeader(new Reader(new Uint8Array([0, 0])), 0),
    ProtocolError,
  );
  assert.throws(
    () => decodeResponseHeader(new Reader(new Uint8Array(4)), 2 as 0),
    ProtocolError,
  );
});

Deno.test("int64 fields reject unsafe integers when decoding", () => {
  const body = enc((w) =>
    Produce.encodeResponse(w, 0, {
      responses: [{
        name: "t",
        partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 1 }],
      }],
    })
  );
  // baseOffset is the last 8 bytes: make it 2^60.
  body.set([0x10, 0, 0, 0, 0, 0, 0, 0], body.length - 8);
  assert.throws(
    () => Produce.decodeResponse(new Reader(body), 0),
    /safe integer/,
  );
});
