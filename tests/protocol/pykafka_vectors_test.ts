// Byte-exact vectors of pykafka's protocol tests (tests/pykafka/test_protocol.py,
// summarised in the team's pykafka-reference.md §11): the request frames
// pykafka sends (size, header v1 with client id "pykafka" and correlation id
// 0, body) and the response bodies it parses. Where only a frame size is
// known, the size is checked.
import assert from "node:assert/strict";
import {
  type ApiMessage,
  ConsumerProtocolAssignmentSchema,
  ConsumerProtocolSubscriptionSchema,
  CreateTopics,
  decodeVersioned,
  DeleteTopics,
  DescribeGroups,
  encodeRequestHeader,
  encodeVersioned,
  Fetch,
  FindCoordinator,
  Heartbeat,
  JoinGroup,
  LeaveGroup,
  ListGroups,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  Produce,
  Reader,
  Writer,
} from "../../src/protocol/mod.ts";
import { ApiVersions } from "../../src/protocol/mod.ts";

function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);

/** The frame pykafka sends: size, header v1 (correlation 0, "pykafka"), body. */
function frame<Req>(
  api: ApiMessage<Req, unknown>,
  version: number,
  request: Req,
): Uint8Array {
  const w = new Writer();
  w.int32(0);
  encodeRequestHeader(w, {
    apiKey: api.apiKey,
    apiVersion: version,
    correlationId: 0,
    clientId: "pykafka",
  }, 1);
  api.encodeRequest(w, version, request);
  w.setInt32(0, w.length - 4);
  return w.finish().slice();
}

function sizeField(f: Uint8Array): number {
  return new DataView(f.buffer, f.byteOffset).getInt32(0);
}

function decodeAll<Res>(
  api: ApiMessage<unknown, Res>,
  version: number,
  body: Uint8Array,
): Res {
  const r = new Reader(body);
  const res = api.decodeResponse(r, version);
  assert.equal(r.remaining, 0, "the whole body is consumed");
  return res;
}

// One MessageSet v0 entry: offset -1, key "asdf", value "this is a test
// message", CRC 0x0E8A194F (opaque records here).
const MESSAGE_SET = hex(
  "ffffffffffffffff000000280e8a194f00000000000461736466000000167468697320697320612074657374206d657373616765",
);

Deno.test("pykafka: Metadata v0 request with no topics", () => {
  const f = frame(Metadata, 0, { topics: [] });
  assert.deepEqual(
    f,
    hex("000000150003000000000000000770796b61666b6100000000"),
  );
  assert.equal(f.length, 25);
});

Deno.test("pykafka: Metadata v1-v5 requests for all topics", () => {
  for (const v of [1, 2, 3]) {
    const f = frame(Metadata, v, { topics: null });
    assert.equal(sizeField(f), 21);
    assert.equal(f[7], v);
    assert.deepEqual(f.subarray(21), hex("ffffffff"));
  }
  for (const v of [4, 5]) {
    const f = frame(Metadata, v, {
      topics: null,
      allowAutoTopicCreation: true,
    });
    assert.equal(sizeField(f), 22);
    assert.deepEqual(f.subarray(21), hex("ffffffff01"));
  }
});

const METADATA_V0 =
  "000000010000000000096c6f63616c686f7374000023840000000100000004746573740000000200000000000000000000000000010000000000000001000000000000000000010000000000000001000000000000000100000000";

Deno.test("pykafka: Metadata v0 response", () => {
  const res = decodeAll(Metadata, 0, hex(METADATA_V0));
  assert.deepEqual(res.brokers, [{
    nodeId: 0,
    host: "localhost",
    port: 9092,
    rack: null,
  }]);
  assert.equal(res.topics.length, 1);
  const t = res.topics[0];
  assert.equal(t.name, "test");
  assert.equal(t.errorCode, 0);
  assert.equal(t.isInternal, false);
  assert.deepEqual(
    t.partitions.map((
      p,
    ) => [p.partitionIndex, p.leaderId, p.replicaNodes, p.isrNodes]),
    [[0, 0, [0], [0]], [1, 0, [0], [0]]],
  );
  // Defaults of fields v0 lacks.
  assert.equal(res.controllerId, -1);
  assert.equal(res.clusterId, null);
  assert.equal(res.throttleTimeMs, 0);
  assert.equal(t.partitions[0].leaderEpoch, -1);
  assert.deepEqual(t.partitions[0].offlineReplicas, []);
});

Deno.test("pykafka: Metadata v0 partition and topic errors", () => {
  const partitionError = decodeAll(
    Metadata,
    0,
    hex(
      "000000010000000000096c6f63616c686f7374000023840000000100000004746573740000000200030000000000000000000000010000000000000001000000000000000000010000000000000001000000000000000100000000",
    ),
  );
  assert.equal(partitionError.topics[0].partitions[0].errorCode, 3);
  const topicError = decodeAll(
    Metadata,
    0,
    hex(
      "000000010000000000096c6f63616c686f7374000023840000000100030004746573740000000200000000000000000000000000010000000000000001000000000000000000010000000000000001000000000000000100000000",
    ),
  );
  assert.equal(topicError.topics[0].errorCode, 3);
  assert.equal(topicError.topics[0].name, "test");
});

Deno.test("pykafka: Produce v0 request with one message", () => {
  const f = frame(Produce, 0, {
    acks: 1,
    timeoutMs: 10000,
    topicData: [{
      name: "test",
      partitionData: [{ index: 0, records: MESSAGE_SET }],
    }],
  });
  assert.deepEqual(
    f,
    hex(
      "000000610000000000000000000770796b61666b6100010000271000000001000474657374000000010000000000000034ffffffffffffffff000000280e8a194f00000000000461736466000000167468697320697320612074657374206d657373616765",
    ),
  );
  assert.equal(sizeField(f), 97);
  // Produce v0 has no transactional id: a non-null one cannot be sent.
  assert.throws(
    () =>
      frame(Produce, 0, {
        transactionalId: "tx",
        acks: 1,
        timeoutMs: 1,
        topicData: [],
      }),
    { name: "UnsupportedVersionError" },
  );
});

Deno.test("pykafka: Produce v0 responses", () => {
  const ok = decodeAll(
    Produce,
    0,
    hex("00000001000474657374000000010000000000000000000000000002"),
  );
  assert.equal(ok.responses[0].name, "test");
  assert.deepEqual(
    [
      ok.responses[0].partitionResponses[0].index,
      ok.responses[0].partitionResponses[0].errorCode,
      ok.responses[0].partitionResponses[0].baseOffset,
    ],
    [0, 0, 2],
  );
  assert.equal(ok.responses[0].partitionResponses[0].logAppendTimeMs, -1);
  assert.equal(ok.throttleTimeMs, 0);
  const err = decodeAll(
    Produce,
    0,
    hex("00000001000474657374000000010000000000030000000000000002"),
  );
  assert.equal(err.responses[0].partitionResponses[0].errorCode, 3);
});

Deno.test("pykafka: Fetch v0 request", () => {
  const f = frame(Fetch, 0, {
    replicaId: -1,
    maxWaitMs: 1000,
    minBytes: 1024,
    topics: [{
      topic: "test",
      partitions: [{
        partition: 0,
        fetchOffset: 1,
        partitionMaxBytes: 1048576,
      }],
    }],
  });
  assert.deepEqual(
    f,
    hex(
      "0000003b0001000000000000000770796b61666b61ffffffff000003e800000400000000010004746573740000000100000000000000000000000100100000",
    ),
  );
  assert.equal(sizeField(f), 59);
});

const FETCH_V0 =
  "0000000100047465737400000001000000000000000000000000000200000042000000000000000100000036a3205e42000000000012746573745f706172746974696f6e5f6b6579000000167468697320697320612074657374206d657373616765";

Deno.test("pykafka: Fetch v0 response keeps the message set opaque", () => {
  const body = hex(FETCH_V0);
  const res = decodeAll(Fetch, 0, body);
  const p = res.responses[0].partitions[0];
  assert.equal(res.responses[0].topic, "test");
  assert.equal(p.partitionIndex, 0);
  assert.equal(p.errorCode, 0);
  assert.equal(p.highWatermark, 2);
  assert.equal(p.records!.length, 0x42);
  assert.deepEqual(p.records, body.subarray(body.length - 0x42));
  const err = decodeAll(
    Fetch,
    0,
    hex(
      "0000000100047465737400000001000000000003000000000000000200000042000000000000000100000036a3205e42000000000012746573745f706172746974696f6e5f6b6579000000167468697320697320612074657374206d657373616765",
    ),
  );
  assert.equal(err.responses[0].partitions[0].errorCode, 3);
});

Deno.test("pykafka: ListOffsets v0 and v1 requests", () => {
  const v0 = frame(ListOffsets, 0, {
    replicaId: -1,
    topics: [{
      name: "test",
      partitions: [{ partitionIndex: 0, timestamp: -1, maxNumOffsets: 1 }],
    }],
  });
  assert.deepEqual(
    v0,
    hex(
      "000000330002000000000000000770796b61666b61ffffffff000000010004746573740000000100000000ffffffffffffffff00000001",
    ),
  );
  const v1 = frame(ListOffsets, 1, {
    replicaId: -1,
    topics: [{
      name: "test",
      partitions: [{ partitionIndex: 0, timestamp: -1 }],
    }],
  });
  assert.equal(sizeField(v1), 47);
});

Deno.test("pykafka: ListOffsets v0 responses", () => {
  const ok = decodeAll(
    ListOffsets,
    0,
    hex("0000000100047465737400000001000000000000000000010000000000000002"),
  );
  assert.deepEqual(ok.topics[0].partitions[0].oldStyleOffsets, [2]);
  const err = decodeAll(
    ListOffsets,
    0,
    hex("0000000100047465737400000001000000000003000000010000000000000002"),
  );
  assert.equal(err.topics[0].partitions[0].errorCode, 3);
});

Deno.test("pykafka: FindCoordinator (GroupCoordinator) v0", () => {
  assert.deepEqual(
    frame(FindCoordinator, 0, { key: "test" }),
    hex("00000017000a000000000000000770796b61666b61000474657374"),
  );
  const res = decodeAll(
    FindCoordinator,
    0,
    hex("000000000000000d656d6d6574742d64656269616e00002384"),
  );
  assert.deepEqual([res.errorCode, res.nodeId, res.host, res.port], [
    0,
    0,
    "emmett-debian",
    9092,
  ]);
});

Deno.test("pykafka: OffsetCommit v1 request and response", () => {
  const f = frame(OffsetCommit, 1, {
    groupId: "test",
    generationIdOrMemberEpoch: 1,
    memberId: "pykafka",
    topics: [{
      name: "test",
      partitions: [{
        partitionIndex: 0,
        committedOffset: 68,
        commitTimestamp: 1426632066,
        committedMetadata: "testmetadata",
      }],
    }],
  });
  assert.deepEqual(
    f,
    hex(
      "000000540008000100000000000770796b61666b6100047465737400000001000770796b61666b610000000100047465737400000001000000000000000000000044000000005508ad82000c746573746d65746164617461",
    ),
  );
  assert.equal(sizeField(f), 84);
  const res = decodeAll(
    OffsetCommit,
    1,
    hex("00000001000c656d6d6574742e64756d6d7900000001000000000000"),
  );
  assert.equal(res.topics[0].name, "emmett.dummy");
  assert.equal(res.topics[0].partitions[0].errorCode, 0);
});

Deno.test("pykafka: OffsetFetch v1 and v2", () => {
  assert.deepEqual(
    frame(OffsetFetch, 1, {
      groupId: "test",
      topics: [{ name: "testtopic", partitionIndexes: [0] }],
    }),
    hex(
      "0000002e0009000100000000000770796b61666b6100047465737400000001000974657374746f7069630000000100000000",
    ),
  );
  const all = frame(OffsetFetch, 2, { groupId: "test", topics: null });
  assert.equal(sizeField(all), 27);
  assert.deepEqual(all.subarray(all.length - 4), hex("ffffffff"));
  const res = decodeAll(
    OffsetFetch,
    1,
    hex(
      "00000001000c656d6d6574742e64756d6d790000000100000000000000000000000100000000",
    ),
  );
  const p = res.topics![0].partitions[0];
  assert.deepEqual([
    p.partitionIndex,
    p.committedOffset,
    p.metadata,
    p.errorCode,
  ], [0, 1, "", 0]);
  assert.equal(res.errorCode, 0);
});

Deno.test("pykafka: group membership requests", () => {
  const metadata = encodeVersioned(ConsumerProtocolSubscriptionSchema, 0, {
    topics: ["abcdefghij"],
    userData: text("testuserdata"),
  });
  assert.equal(metadata.length, 34);
  const join = frame(JoinGroup, 0, {
    groupId: "dummygroup",
    sessionTimeoutMs: 30000,
    memberId: "testmember",
    protocolType: "consumer",
    protocols: [{ name: "range", metadata }],
  });
  assert.equal(sizeField(join), 104);

  // pykafka sends Heartbeat with version 1 in the header; v1 is laid out as v0.
  assert.deepEqual(
    frame(Heartbeat, 1, {
      groupId: "dummygroup",
      generationId: 1,
      memberId: "testmember",
    }),
    hex(
      "0000002d000c000100000000000770796b61666b61000a64756d6d7967726f757000000001000a746573746d656d626572",
    ),
  );
  assert.equal(
    sizeField(
      frame(LeaveGroup, 0, { groupId: "dummygroup", memberId: "testmember" }),
    ),
    41,
  );
});

Deno.test("consumer protocol assignment blob (Kafka's layout)", () => {
  // pykafka's own MemberAssignment bytes are non-standard (no partition
  // counts in old releases, no user data in new ones), so the expected bytes
  // follow ConsumerProtocolAssignment v1: version, [topic, [partition]],
  // user data.
  const blob = hex(
    "0001" + "00000002" +
      "00086d79746f7069633100000004" + "00000003000000050000000700000009" +
      "00086d79746f7069633200000004" + "00000002000000040000000600000008" +
      "00000000",
  );
  const value = {
    assignedPartitions: [
      { topic: "mytopic1", partitions: [3, 5, 7, 9] },
      { topic: "mytopic2", partitions: [2, 4, 6, 8] },
    ],
    userData: new Uint8Array(0),
  };
  assert.deepEqual(
    encodeVersioned(ConsumerProtocolAssignmentSchema, 1, value),
    blob,
  );
  assert.deepEqual(decodeVersioned(ConsumerProtocolAssignmentSchema, blob), {
    version: 1,
    value,
  });
  // A newer version decodes with the newest known layout.
  const v9 = blob.slice();
  v9[1] = 9;
  assert.equal(
    decodeVersioned(ConsumerProtocolAssignmentSchema, v9).version,
    9,
  );
});

Deno.test("pykafka: admin request sizes", () => {
  assert.equal(sizeField(frame(ListGroups, 0, {})), 17);
  assert.equal(sizeField(frame(ApiVersions, 0, {})), 17);
  assert.equal(
    sizeField(frame(DescribeGroups, 0, { groups: ["testgroup"] })),
    32,
  );
  assert.equal(
    sizeField(frame(CreateTopics, 0, {
      topics: [{
        name: "mycooltopic",
        numPartitions: 4,
        replicationFactor: 2,
        assignments: [],
        configs: [],
      }],
      timeoutMs: 0,
    })),
    52,
  );
  assert.equal(
    sizeField(
      frame(DeleteTopics, 0, { topicNames: ["mycooltopic"], timeoutMs: 0 }),
    ),
    38,
  );
});
