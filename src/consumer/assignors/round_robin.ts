/**
 * {@linkcode RoundRobinAssignor}: Java's `RoundRobinAssignor` (protocol
 * name `"roundrobin"`; pykafka's `RoundRobinProtocol` maps onto it).
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
 * Java's round-robin assignor: every partition of every subscribed topic,
 * sorted by topic name and then id, is dealt in turn over the members in
 * Java's member order, skipping members that do not subscribe to the
 * partition's topic. Eager.
 *
 * @example
 * ```ts
 * import { RoundRobinAssignor } from "./round_robin.ts";
 * const member = (memberId: string) => ({
 *   memberId, groupInstanceId: null, topics: ["t", "u"], userData: null,
 *   ownedPartitions: [], generationId: -1, rackId: null,
 * });
 * const out = RoundRobinAssignor.assign({
 *   members: [member("a"), member("b")],
 *   partitionsPerTopic: new Map([["t", [0, 1, 2]], ["u", [0]]]),
 *   leaderOf: () => -1,
 *   rebalanceProtocol: "eager",
 * });
 * console.assert(out.get("a")!.map((p) => `${p.topic}${p.partition}`).join() === "t0,t2");
 * console.assert(out.get("b")!.map((p) => `${p.topic}${p.partition}`).join() === "t1,u0");
 * ```
 */
export const RoundRobinAssignor: Assignor = Object.freeze({
  name: "roundrobin",
  rebalanceProtocols: Object.freeze(["eager"] as const),
  assign(input: {
    members: readonly AssignorSubscription[];
    partitionsPerTopic: ReadonlyMap<string, readonly number[]>;
  }): Map<string, TopicPartition[]> {
    const out = new Map<string, TopicPartition[]>();
    for (const m of input.members) out.set(m.memberId, []);
    const members = sortMembers(input.members);
    if (members.length === 0) return out;
    const subscribed = members.map((m) => new Set(m.topics));
    const topics = [...new Set(input.members.flatMap((m) => m.topics))]
      .filter((t) => input.partitionsPerTopic.has(t))
      .sort();
    let next = 0;
    for (const topic of topics) {
      const ids = [...input.partitionsPerTopic.get(topic)!].sort((a, b) =>
        a - b
      );
      for (const partition of ids) {
        // Some member subscribes to every topic listed here.
        while (!subscribed[next % members.length].has(topic)) next++;
        out.get(members[next % members.length].memberId)!.push({
          topic,
          partition,
        });
        next++;
      }
    }
    return out;
  },
});
