// The assignors against Java's expected splits (cases from Kafka's
// RangeAssignorTest / RoundRobinAssignorTest), cooperative-sticky's
// invariants over random groups, the pykafka protocol adapter, and the
// consumer protocol's bytes.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type AssignmentInput,
  type AssignorSubscription,
  checkAssignment,
  compareMembers,
  type TopicPartition,
  tpKey,
} from "./assignor.ts";
import { RangeAssignor } from "./range.ts";
import { RoundRobinAssignor } from "./round_robin.ts";
import {
  CooperativeStickyAssignor,
  memberGeneration,
} from "./cooperative_sticky.ts";
import { assignorFor } from "./from_protocol.ts";
import {
  type GroupMembershipProtocol,
  RangeProtocol,
  RoundRobinProtocol,
} from "../membership_protocol.ts";
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from "../_consumer_protocol.ts";

function member(
  memberId: string,
  topics: string[],
  extra: Partial<AssignorSubscription> = {},
): AssignorSubscription {
  return {
    memberId,
    groupInstanceId: null,
    topics,
    userData: null,
    ownedPartitions: [],
    generationId: -1,
    rackId: null,
    ...extra,
  };
}

function input(
  members: AssignorSubscription[],
  topics: Record<string, number>,
): AssignmentInput {
  return {
    members,
    partitionsPerTopic: new Map(
      Object.entries(topics).map(([t, n]) => [
        t,
        Array.from({ length: n }, (_, i) => i),
      ]),
    ),
    leaderOf: () => -1,
    rebalanceProtocol: "eager",
  };
}

function show(out: Map<string, TopicPartition[]>): Record<string, string> {
  const r: Record<string, string> = {};
  for (const [m, l] of out) {
    r[m] = [...l].sort((a, b) =>
      a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition
    ).map((p) => `${p.topic}${p.partition}`).join(" ");
  }
  return r;
}

Deno.test("range: Java's per-topic split (two members, two topics of 3)", () => {
  const out = RangeAssignor.assign(input(
    [member("c1", ["t1", "t2"]), member("c0", ["t1", "t2"])],
    { t1: 3, t2: 3 },
  ));
  assert.deepEqual(show(out), { c0: "t10 t11 t20 t21", c1: "t12 t22" });
});

Deno.test("range: 4 members on 3 partitions leave exactly the last one idle", () => {
  const out = RangeAssignor.assign(input(
    ["d", "a", "c", "b"].map((id) => member(id, ["t"])),
    { t: 3 },
  ));
  assert.deepEqual(show(out), { a: "t0", b: "t1", c: "t2", d: "" });
});

Deno.test("range: static members first, by instance id; members per topic", () => {
  const out = RangeAssignor.assign(input(
    [
      member("m-a", ["t", "u"]),
      member("m-z", ["t"], { groupInstanceId: "i-2" }),
      member("m-b", ["t", "u"], { groupInstanceId: "i-1" }),
    ],
    { t: 4, u: 3 },
  ));
  // t: m-b (i-1), m-z (i-2), m-a; u: m-b, m-a.
  assert.deepEqual(show(out), {
    "m-a": "t3 u2",
    "m-z": "t2",
    "m-b": "t0 t1 u0 u1",
  });
  assert.ok(
    compareMembers(
      { memberId: "a", groupInstanceId: null },
      { memberId: "b", groupInstanceId: null },
    ) < 0,
  );
});

Deno.test("roundrobin: Java's deal over sorted topics and members", () => {
  assert.deepEqual(
    show(RoundRobinAssignor.assign(input(
      [member("c0", ["t1", "t2"]), member("c1", ["t1", "t2"])],
      { t1: 3, t2: 3 },
    ))),
    { c0: "t10 t12 t21", c1: "t11 t20 t22" },
  );
  // Java's testMultipleConsumersMixedTopics.
  assert.deepEqual(
    show(RoundRobinAssignor.assign(input(
      [
        member("consumer1", ["topic1"]),
        member("consumer2", ["topic1", "topic2"]),
        member("consumer3", ["topic1"]),
      ],
      { topic1: 3, topic2: 2 },
    ))),
    {
      consumer1: "topic10",
      consumer2: "topic11 topic20 topic21",
      consumer3: "topic12",
    },
  );
});

Deno.test("range and roundrobin: a missing topic and an idle group are fine", () => {
  const out = RangeAssignor.assign(input([member("a", ["gone"])], {}));
  assert.deepEqual(show(out), { a: "" });
  assert.deepEqual(show(RoundRobinAssignor.assign(input([], { t: 2 }))), {});
});

Deno.test("pykafka's protocols map to Java's assignors; custom ones are adapted", () => {
  assert.equal(assignorFor(RangeProtocol), RangeAssignor);
  assert.equal(assignorFor(RoundRobinProtocol), RoundRobinAssignor);
  assert.equal(
    assignorFor(CooperativeStickyAssignor),
    CooperativeStickyAssignor,
  );
  const calls: string[] = [];
  const everything: GroupMembershipProtocol = {
    protocolType: "consumer",
    protocolName: "first-takes-all",
    decidePartitions(participants, partitions, consumerId) {
      calls.push(`${consumerId}:${participants.length}:${partitions.length}`);
      return [...participants].sort()[0] === consumerId ? [...partitions] : [];
    },
  };
  const a = assignorFor(everything);
  assert.equal(a.name, "first-takes-all");
  const inp = input(
    [member("b", ["t"]), member("a", ["t", "u"])],
    { t: 2, u: 1 },
  );
  const out = checkAssignment(a.name, inp, a.assign(inp));
  assert.deepEqual(show(out), { a: "t0 t1 u0", b: "" });
  assert.deepEqual(calls.sort(), ["a:1:1", "a:2:2", "b:2:2"]);
});

Deno.test("checkAssignment refuses duplicates, unknown members and unsubscribed topics", () => {
  const inp = input([member("a", ["t"]), member("b", ["t"])], { t: 2, u: 1 });
  const p = (topic: string, partition: number) => ({ topic, partition });
  assert.throws(
    () =>
      checkAssignment(
        "x",
        inp,
        new Map([["a", [p("t", 0)]], ["b", [p("t", 0)]]]),
      ),
    /both "a" and "b"/,
  );
  assert.throws(
    () => checkAssignment("x", inp, new Map([["z", [p("t", 0)]]])),
    /not a member/,
  );
  assert.throws(
    () => checkAssignment("x", inp, new Map([["a", [p("u", 0)]]])),
    /does not subscribe to u/,
  );
  assert.throws(
    () => checkAssignment("x", inp, new Map([["a", [p("t", 5)]]])),
    /not a partition/,
  );
  assert.throws(() => checkAssignment("x", inp, {}), TypeError);
});

/** A random group: members with subscriptions and owned partitions. */
const groupArb: fc.Arbitrary<GroupSpec> = fc.record({
  topics: fc.array(fc.integer({ min: 1, max: 8 }), {
    minLength: 1,
    maxLength: 3,
  }),
  members: fc.array(
    fc.record({
      subscribe: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      owns: fc.array(fc.nat(30), { maxLength: 6 }),
      generation: fc.integer({ min: -1, max: 3 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  same: fc.boolean(),
});

interface GroupSpec {
  topics: number[];
  members: { subscribe: boolean[]; owns: number[]; generation: number }[];
  same: boolean;
}

function buildGroup(g: GroupSpec): AssignmentInput {
  const names = g.topics.map((_, i) => `t${i}`);
  const all: TopicPartition[] = names.flatMap((t, i) =>
    Array.from({ length: g.topics[i] }, (_, p) => ({ topic: t, partition: p }))
  );
  const members = g.members.map((m, i) => {
    const topics = g.same
      ? names
      : names.filter((_, j) => m.subscribe[j] || j === 0);
    const owned = m.owns.map((k) => all[k % all.length]).filter((tp) =>
      topics.includes(tp.topic)
    );
    const byTopic = new Map<string, number[]>();
    for (const tp of owned) {
      const l = byTopic.get(tp.topic) ?? [];
      if (!l.includes(tp.partition)) l.push(tp.partition);
      byTopic.set(tp.topic, l);
    }
    return member(`m${i}`, topics, {
      ownedPartitions: [...byTopic].map(([topic, partitions]) => ({
        topic,
        partitions,
      })),
      generationId: m.generation,
    });
  });
  return {
    members,
    partitionsPerTopic: new Map(
      names.map((
        t,
        i,
      ) => [t, Array.from({ length: g.topics[i] }, (_, p) => p)]),
    ),
    leaderOf: () => -1,
    rebalanceProtocol: "cooperative",
  };
}

/** The owners cooperative-sticky treats as valid (Java's rules), for the checks. */
function owners(inp: AssignmentInput): Map<string, string> {
  const max = Math.max(...inp.members.map(memberGeneration));
  const out = new Map<string, string>();
  const twice = new Set<string>();
  for (const m of inp.members) {
    if (memberGeneration(m) !== max) continue;
    for (const t of m.ownedPartitions) {
      for (const p of t.partitions) {
        const k = tpKey(t.topic, p);
        if (out.has(k) && out.get(k) !== m.memberId) twice.add(k);
        out.set(k, m.memberId);
      }
    }
  }
  for (const k of twice) out.delete(k);
  return out;
}

Deno.test("cooperative-sticky: valid, never hands over a partition another member owns, converges balanced", () => {
  fc.assert(
    fc.property(groupArb, (g) => {
      let inp = buildGroup(g);
      const first = checkAssignment(
        "cooperative-sticky",
        inp,
        CooperativeStickyAssignor.assign(inp),
      );
      const own = owners(inp);
      for (const [m, l] of first) {
        for (const tp of l) {
          const o = own.get(tpKey(tp.topic, tp.partition));
          assert.ok(
            o === undefined || o === m,
            "handed over an owned partition",
          );
        }
      }
      // Round two: members own what they were given (revoked ones gone).
      const gen = 10;
      inp = {
        ...inp,
        members: inp.members.map((m) => ({
          ...m,
          generationId: gen,
          ownedPartitions: [
            ...Map.groupBy(first.get(m.memberId)!, (x) => x.topic),
          ]
            .map(([topic, ps]) => ({
              topic,
              partitions: ps.map((p) => p.partition),
            })),
        })),
      };
      const second = checkAssignment(
        "cooperative-sticky",
        inp,
        CooperativeStickyAssignor.assign(inp),
      );
      // Nothing owned moves in round two's first step, and with equal
      // subscriptions everything is assigned and balanced.
      const total = [...inp.partitionsPerTopic.values()].reduce(
        (n, ids) => n + ids.length,
        0,
      );
      if (g.same) {
        const counts = [...second.values()].map((l) => l.length);
        assert.equal(counts.reduce((a, b) => a + b, 0), total);
        assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, "unbalanced");
      }
      for (const [m, l] of first) {
        const kept = second.get(m)!.map((x) => tpKey(x.topic, x.partition));
        const had = l.map((x) => tpKey(x.topic, x.partition));
        // Sticky: a member keeps at least min(had, fair share) of what it had.
        const share = Math.floor(total / inp.members.length);
        const stayed = had.filter((k) => kept.includes(k)).length;
        if (g.same) {
          assert.ok(stayed >= Math.min(had.length, share), "not sticky");
        }
      }
    }),
    { numRuns: 300 },
  );
});

Deno.test("cooperative-sticky: a stable balanced group keeps its assignment; a newcomer waits one round", () => {
  const owned = (ps: number[]) => [{ topic: "t", partitions: ps }];
  const inp: AssignmentInput = {
    ...input(
      [
        member("a", ["t"], {
          ownedPartitions: owned([0, 1, 2]),
          generationId: 4,
        }),
        member("b", ["t"], {
          ownedPartitions: owned([3, 4, 5]),
          generationId: 4,
        }),
      ],
      { t: 6 },
    ),
    rebalanceProtocol: "cooperative",
  };
  assert.deepEqual(show(CooperativeStickyAssignor.assign(inp)), {
    a: "t0 t1 t2",
    b: "t3 t4 t5",
  });
  const joined = { ...inp, members: [...inp.members, member("c", ["t"])] };
  const out = CooperativeStickyAssignor.assign(joined);
  assert.equal(out.get("a")!.length, 2);
  assert.equal(out.get("b")!.length, 2);
  assert.equal(out.get("c")!.length, 0);
  // A stale generation's claims do not count: the newest generation wins.
  const stale = {
    ...inp,
    members: [
      member("a", ["t"], {
        ownedPartitions: owned([0, 1, 2, 3]),
        generationId: 3,
      }),
      member("b", ["t"], {
        ownedPartitions: owned([3, 4, 5]),
        generationId: 4,
      }),
    ],
  };
  const s = CooperativeStickyAssignor.assign(stale);
  assert.deepEqual(show(s).b, "t3 t4 t5");
  // Older members put the generation in userData.
  const ud = CooperativeStickyAssignor.subscriptionUserData!({
    topics: ["t"],
    ownedPartitions: [],
    generationId: 7,
  })!;
  assert.equal(memberGeneration(member("x", ["t"], { userData: ud })), 7);
});

Deno.test("consumer protocol: subscription v3 bytes, field by field", () => {
  const bytes = encodeSubscription({
    topics: ["b", "a"],
    userData: new Uint8Array([9]),
    ownedPartitions: [{ topic: "a", partition: 1 }, {
      topic: "a",
      partition: 0,
    }],
    generationId: 5,
    rackId: null,
  });
  const expected = [
    0,
    3, // version 3
    0,
    0,
    0,
    2,
    0,
    1,
    0x61,
    0,
    1,
    0x62, // topics ["a", "b"] (sorted)
    0,
    0,
    0,
    1,
    9, // userData
    0,
    0,
    0,
    1,
    0,
    1,
    0x61,
    0,
    0,
    0,
    2,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    1, // owned a: [0, 1]
    0,
    0,
    0,
    5, // generationId
    0xff,
    0xff, // rackId null
  ];
  assert.deepEqual([...bytes], expected);
  const back = decodeSubscription("m", "i", bytes);
  assert.deepEqual(back.topics, ["a", "b"]);
  assert.equal(back.generationId, 5);
  assert.equal(back.groupInstanceId, "i");
  assert.deepEqual(back.ownedPartitions, [{ topic: "a", partitions: [0, 1] }]);
  // pykafka's and librdkafka's version 0: topics and user data only.
  const v0 = new Uint8Array([
    0,
    0,
    0,
    0,
    0,
    1,
    0,
    1,
    0x74,
    0xff,
    0xff,
    0xff,
    0xff,
  ]);
  const old = decodeSubscription("m", null, v0);
  assert.deepEqual(old.topics, ["t"]);
  assert.equal(old.generationId, -1);
  assert.deepEqual(old.ownedPartitions, []);
});

Deno.test("consumer protocol: assignment bytes; empty bytes are an empty assignment", () => {
  const bytes = encodeAssignment([
    { topic: "t", partition: 2 },
    { topic: "t", partition: 0 },
  ]);
  assert.deepEqual(
    [...bytes],
    [
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      1,
      0x74,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      2,
      0xff,
      0xff,
      0xff,
      0xff,
    ],
  );
  assert.deepEqual(decodeAssignment(bytes), [
    { topic: "t", partition: 0 },
    { topic: "t", partition: 2 },
  ]);
  assert.deepEqual(decodeAssignment(new Uint8Array(0)), []);
  // Version 1 (older Java), a higher version (read as the newest known).
  const v1 = new Uint8Array([0, 1, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  assert.deepEqual(decodeAssignment(v1), []);
  const v9 = new Uint8Array([0, 9, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 2]);
  assert.deepEqual(decodeAssignment(v9), []);
});
