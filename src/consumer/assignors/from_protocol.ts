/**
 * {@linkcode assignorFor}: the managed consumer's `membershipProtocol`
 * option as an {@linkcode Assignor}. pykafka's protocol objects map onto
 * Java's assignors of the same name; any other pykafka-style protocol runs
 * its `decidePartitions` for each member.
 *
 * @module
 */

import {
  type GroupMembershipProtocol,
  type ProtocolPartition,
  RangeProtocol,
  RoundRobinProtocol,
} from "../membership_protocol.ts";
import {
  type AssignmentInput,
  type Assignor,
  isAssignor,
  type TopicPartition,
} from "./assignor.ts";
import { RangeAssignor } from "./range.ts";
import { RoundRobinAssignor } from "./round_robin.ts";

/**
 * A `membershipProtocol` value: a pykafka protocol (`RangeProtocol`,
 * `RoundRobinProtocol`, any `GroupMembershipProtocol`) or an assignor
 * (`RangeAssignor`, `CooperativeStickyAssignor`, your own `Assignor`).
 *
 * @example
 * ```ts
 * import type { MembershipProtocolLike } from "./from_protocol.ts";
 * import { CooperativeStickyAssignor } from "./cooperative_sticky.ts";
 * import { RangeProtocol } from "../membership_protocol.ts";
 * // In order of preference: cooperative-sticky, then pykafka's range.
 * const preference: MembershipProtocolLike[] = [
 *   CooperativeStickyAssignor,
 *   RangeProtocol,
 * ];
 * console.assert(preference.length === 2);
 * ```
 */
export type MembershipProtocolLike = GroupMembershipProtocol | Assignor;

/**
 * The assignor for a `membershipProtocol` value:
 *
 * - an {@linkcode Assignor} is itself;
 * - pykafka's `RangeProtocol` / `RoundRobinProtocol` are Java's
 *   {@linkcode RangeAssignor} / {@linkcode RoundRobinAssignor} (same names;
 *   Java's algorithms, so the split matches Java and librdkafka members');
 * - any other `GroupMembershipProtocol` becomes an eager assignor named
 *   after its `protocolName`: for each topic, its `decidePartitions(member
 *   ids subscribed to the topic, the topic's partitions, member id)` for
 *   every member (as pykafka's ZooKeeper consumer calls it).
 *
 * @example
 * ```ts
 * import { assignorFor } from "./from_protocol.ts";
 * import { RangeProtocol } from "../membership_protocol.ts";
 * console.assert(assignorFor(RangeProtocol).name === "range");
 * ```
 */
export function assignorFor(protocol: MembershipProtocolLike): Assignor {
  if (protocol === RangeProtocol) return RangeAssignor;
  if (protocol === RoundRobinProtocol) return RoundRobinAssignor;
  if (isAssignor(protocol)) return protocol;
  return adapt(protocol);
}

function adapt(protocol: GroupMembershipProtocol): Assignor {
  return Object.freeze({
    name: protocol.protocolName,
    rebalanceProtocols: Object.freeze(["eager"] as const),
    assign(input: AssignmentInput): Map<string, TopicPartition[]> {
      const out = new Map<string, TopicPartition[]>();
      for (const m of input.members) out.set(m.memberId, []);
      for (const [topic, ids] of input.partitionsPerTopic) {
        const participants = input.members.filter((m) =>
          m.topics.includes(topic)
        ).map((m) => m.memberId);
        if (participants.length === 0) continue;
        const parts: ProtocolPartition[] = ids.map((id) => ({
          id,
          topic: { name: topic },
          leaderId: input.leaderOf(topic, id),
        }));
        for (const memberId of participants) {
          const mine = protocol.decidePartitions(participants, parts, memberId);
          for (const p of mine) {
            out.get(memberId)!.push({ topic, partition: p.id });
          }
        }
      }
      return out;
    },
  });
}
