/**
 * {@linkcode RangeAssignor}: Java's `RangeAssignor` (protocol name
 * `"range"`), the default of the managed consumer (pykafka's
 * `RangeProtocol` maps onto it).
 *
 * @module
 */

import {
  type Assignor,
  type AssignorSubscription,
  sortMembers,
  type TopicPartition,
} from "./assignor.ts";

/**
 * Java's range assignor, per topic: the topic's partitions in id order,
 * the members subscribed to it in Java's member order (static members by
 * `groupInstanceId`, then by member id); with `n` partitions and `m`
 * members each member gets `floor(n/m)` consecutive partitions and the
 * first `n % m` members one more. With 3 partitions and 4 members the last
 * member is idle; with two topics of 3 partitions and 2 members, the first
 * gets partitions 0 and 1 of both. Rack-aware placement (Kafka 3.5+ when
 * members and brokers have racks) is not done. Eager.
 *
 * @example
 * ```ts
 * import { RangeAssignor } from "./range.ts";
 * const member = (memberId: string) => ({
 *   memberId, groupInstanceId: null, topics: ["t"], userData: null,
 *   ownedPartitions: [], generationId: -1, rackId: null,
 * });
 * const out = RangeAssignor.assign({
 *   members: [member("a"), member("b")],
 *   partitionsPerTopic: new Map([["t", [0, 1, 2]]]),
 *   leaderOf: () => -1,
 *   rebalanceProtocol: "eager",
 * });
 * console.assert(out.get("a")!.map((p) => p.partition).join() === "0,1");
 * console.assert(out.get("b")!.map((p) => p.partition).join() === "2");
 * ```
 */
export const RangeAssignor: Assignor = Object.freeze({
  name: "range",
  rebalanceProtocols: Object.freeze(["eager"] as const),
  assign(input: {
    members: readonly AssignorSubscription[];
    partitionsPerTopic: ReadonlyMap<string, readonly number[]>;
  }): Map<string, TopicPartition[]> {
    const out = new Map<string, TopicPartition[]>();
    const byTopic = new Map<string, AssignorSubscription[]>();
    for (const m of input.members) {
      out.set(m.memberId, []);
      for (const t of new Set(m.topics)) {
        let l = byTopic.get(t);
        if (!l) byTopic.set(t, l = []);
        l.push(m);
      }
    }
    for (const [topic, subscribers] of byTopic) {
      const ids = input.partitionsPerTopic.get(topic);
      if (!ids || ids.length === 0) continue;
      const sorted = [...ids].sort((a, b) => a - b);
      const members = sortMembers(subscribers);
      const per = Math.floor(sorted.length / members.length);
      const extra = sorted.length % members.length;
      members.forEach((m, i) => {
        const start = per * i + Math.min(i, extra);
        const length = per + (i < extra ? 1 : 0);
        const mine = out.get(m.memberId)!;
        for (const partition of sorted.slice(start, start + length)) {
          mine.push({ topic, partition });
        }
      });
    }
    return out;
  },
});
