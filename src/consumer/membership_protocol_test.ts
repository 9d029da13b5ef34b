import assert from "node:assert/strict";
import {
  compareBytes,
  type ProtocolPartition,
  pythonBytesRepr,
  RangeProtocol,
  RoundRobinProtocol,
  sortPartitionsPykafka,
} from "./membership_protocol.ts";

function parts(n: number, leaderOf = (_: number) => 1): ProtocolPartition[] {
  return Array.from(
    { length: n },
    (_, id) => ({ id, topic: { name: "t" }, leaderId: leaderOf(id) }),
  );
}

Deno.test("membership protocols: every split is disjoint, complete and sized as pykafka's tests assert", () => {
  for (const protocol of [RangeProtocol, RoundRobinProtocol]) {
    for (let c = 1; c <= 100; c += 7) {
      for (let p = 100; p >= 1; p -= 9) {
        const members = Array.from({ length: c }, (_, i) => `host:${i}`);
        const sorted = [...members].sort(compareBytes);
        const all = parts(p);
        const seen = new Set<number>();
        for (const m of members) {
          const mine = protocol.decidePartitions(members, all, m);
          const idx = sorted.indexOf(m);
          assert.equal(
            mine.length,
            Math.floor(p / c) + (idx < p % c ? 1 : 0),
            `${protocol.protocolName} C=${c} P=${p} member ${idx}`,
          );
          for (const x of mine) {
            assert.ok(!seen.has(x.id), `partition ${x.id} twice`);
            seen.add(x.id);
          }
        }
        assert.equal(seen.size, p);
      }
    }
  }
});

Deno.test("membership protocols: pykafka's order (text order of b'topic'-leader-partition)", () => {
  const sorted = sortPartitionsPykafka(parts(12));
  assert.deepEqual(
    sorted.map((p) => p.id),
    [0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  // The leader id comes before the partition id in the key.
  const byLeader = sortPartitionsPykafka(parts(3, (id) => [2, 10, 1][id]));
  assert.deepEqual(byLeader.map((p) => p.id), [2, 1, 0]);
  // range over 2 members of those 12: a contiguous slice of that order.
  const a = RangeProtocol.decidePartitions(["b", "a"], parts(12), "a");
  assert.deepEqual(a.map((p) => p.id), [0, 1, 10, 11, 2, 3]);
  const r = RoundRobinProtocol.decidePartitions(["b", "a"], parts(12), "b");
  assert.deepEqual(r.map((p) => p.id), [1, 11, 3, 5, 7, 9]);
  assert.throws(
    () => RangeProtocol.decidePartitions(["a"], parts(1), "zz"),
    RangeError,
  );
});

Deno.test("pythonBytesRepr matches Python 3's repr of bytes", () => {
  assert.equal(pythonBytesRepr("orders"), "b'orders'");
  assert.equal(pythonBytesRepr("it's"), `b"it's"`);
  assert.equal(pythonBytesRepr(`a'b"c`), `b'a\\'b"c'`);
  assert.equal(pythonBytesRepr("é\t\\"), "b'\\xc3\\xa9\\t\\\\'");
  assert.ok(compareBytes("a", "b") < 0 && compareBytes("é", "z") > 0);
});
