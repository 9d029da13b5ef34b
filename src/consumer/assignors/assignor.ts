/**
 * The {@linkcode Assignor} interface: how the leader of a consumer group
 * (Kafka's classic group protocol) splits the partitions of the subscribed
 * topics between the members, with the types it reads and returns and the
 * helpers the built-in assignors share (Java's member order, validation).
 *
 * An assignor's `name` is the protocol name members announce in JoinGroup;
 * every member of a group must list it, so the built-in assignors use Java's
 * names and algorithms (`range`, `roundrobin`, `cooperative-sticky`) and a
 * group can mix denokafka, Java and librdkafka members.
 *
 * @example
 * ```ts
 * import type { Assignor, TopicPartition } from "./assignor.ts";
 * // Everything to the first member in Java's order; a custom name, so only
 * // members that list "all-to-one" can share a group with it.
 * const allToOne: Assignor = {
 *   name: "all-to-one",
 *   assign({ members, partitionsPerTopic }) {
 *     const out = new Map<string, TopicPartition[]>();
 *     for (const m of members) out.set(m.memberId, []);
 *     const first = members[0].memberId;
 *     for (const [topic, ids] of partitionsPerTopic) {
 *       for (const partition of ids) out.get(first)!.push({ topic, partition });
 *     }
 *     return out;
 *   },
 * };
 * ```
 *
 * @module
 */

import type { TopicPartition } from "../fetch_engine.ts";

export type { TopicPartition };

/**
 * The partitions of one topic (the consumer protocol's layout).
 *
 * @example
 * ```ts
 * import type { TopicPartitions } from "./assignor.ts";
 * const owned: TopicPartitions[] = [{ topic: "orders", partitions: [0, 2] }];
 * console.assert(owned[0].partitions.length === 2);
 * ```
 */
export interface TopicPartitions {
  /** The topic's name. */
  topic: string;
  /** Partition ids. */
  partitions: number[];
}

/**
 * How a group rebalances: `"eager"` members give up every partition before
 * they rejoin; `"cooperative"` members keep consuming the partitions they
 * keep and give up only those that move (incremental rebalancing, KIP-429).
 *
 * @example
 * ```ts
 * import type { Assignor, RebalanceProtocol } from "./assignor.ts";
 * const cooperative = (a: Assignor): boolean =>
 *   (a.rebalanceProtocols ?? (["eager"] as RebalanceProtocol[]))
 *     .includes("cooperative");
 * console.assert(!cooperative({ name: "x", assign: () => new Map() }));
 * ```
 */
export type RebalanceProtocol = "eager" | "cooperative";

/**
 * One member's subscription as the leader sees it (the consumer protocol's
 * `ConsumerProtocolSubscription`, plus the ids from JoinGroup).
 *
 * @example
 * ```ts
 * import type { AssignorSubscription } from "./assignor.ts";
 * const member: AssignorSubscription = {
 *   memberId: "consumer-1-4b1c",
 *   groupInstanceId: null,
 *   topics: ["orders"],
 *   userData: null,
 *   ownedPartitions: [{ topic: "orders", partitions: [0] }],
 *   generationId: 3,
 *   rackId: null,
 * };
 * console.assert(member.topics.includes("orders"));
 * ```
 */
export interface AssignorSubscription {
  /** The member id the coordinator gave it. */
  memberId: string;
  /** Its static id (`groupInstanceId`), or `null`. */
  groupInstanceId: string | null;
  /** The topics it subscribes to. */
  topics: readonly string[];
  /** Assignor-specific bytes it sent (cooperative-sticky: its generation), or `null`. */
  userData: Uint8Array | null;
  /** The partitions it owns now (subscription v1+; empty for older members). */
  ownedPartitions: readonly TopicPartitions[];
  /** The generation it owned them in (subscription v2+), -1 when unknown. */
  generationId: number;
  /** Its rack (subscription v3+), or `null`. */
  rackId: string | null;
}

/**
 * What {@linkcode Assignor.assign} gets.
 *
 * @example
 * ```ts
 * import { RangeAssignor } from "./range.ts";
 * import type { AssignmentInput } from "./assignor.ts";
 * const member = (memberId: string) => ({
 *   memberId,
 *   groupInstanceId: null,
 *   topics: ["orders"],
 *   userData: null,
 *   ownedPartitions: [],
 *   generationId: -1,
 *   rackId: null,
 * });
 * const input: AssignmentInput = {
 *   members: [member("a"), member("b")],
 *   partitionsPerTopic: new Map([["orders", [0, 1, 2]]]),
 *   leaderOf: () => -1,
 *   rebalanceProtocol: "eager",
 * };
 * const out = RangeAssignor.assign(input);
 * console.assert(out.get("a")!.length === 2 && out.get("b")!.length === 1);
 * ```
 */
export interface AssignmentInput {
  /**
   * Every member with its subscription, in Java's member order (static
   * members first by `groupInstanceId`, then by `memberId`).
   */
  members: readonly AssignorSubscription[];
  /**
   * The partition ids (ascending) of every topic some member subscribes
   * to; topics that do not exist are absent.
   */
  partitionsPerTopic: ReadonlyMap<string, readonly number[]>;
  /** The leader broker id of a partition (-1 when unknown), for assignors that care. */
  leaderOf(topic: string, partition: number): number;
  /** The protocol the group rebalances with. */
  rebalanceProtocol: RebalanceProtocol;
}

/**
 * What a member's subscription carries for {@linkcode Assignor.subscriptionUserData}.
 *
 * @example
 * ```ts
 * import type { Assignor, SubscriptionContext } from "./assignor.ts";
 * // An assignor that sends its generation as 4 bytes of user data.
 * const withGeneration: Pick<Assignor, "subscriptionUserData"> = {
 *   subscriptionUserData(context: SubscriptionContext) {
 *     const b = new Uint8Array(4);
 *     new DataView(b.buffer).setInt32(0, context.generationId);
 *     return b;
 *   },
 * };
 * const bytes = withGeneration.subscriptionUserData!({
 *   topics: ["orders"],
 *   ownedPartitions: [],
 *   generationId: 7,
 * });
 * console.assert(bytes![3] === 7);
 * ```
 */
export interface SubscriptionContext {
  /** The topics this member subscribes to. */
  topics: readonly string[];
  /** The partitions it owns now. */
  ownedPartitions: readonly TopicPartition[];
  /** Its current generation (-1 before the first). */
  generationId: number;
}

/**
 * A partition assignor of the classic group protocol (Java's
 * `ConsumerPartitionAssignor`). The leader runs `assign` over every
 * member's subscription; the result goes to each member in the consumer
 * protocol's assignment bytes. Built in: {@linkcode RangeAssignor},
 * {@linkcode RoundRobinAssignor}, {@linkcode CooperativeStickyAssignor};
 * pykafka's membership protocols map onto them (see `assignorFor`).
 *
 * @example
 * ```ts
 * import type { Assignor, TopicPartition } from "./assignor.ts";
 * // Partition p of every topic to member p mod n (members in Java's order).
 * const modulo: Assignor = {
 *   name: "modulo",
 *   assign({ members, partitionsPerTopic }) {
 *     const out = new Map<string, TopicPartition[]>(
 *       members.map((m) => [m.memberId, []]),
 *     );
 *     for (const [topic, ids] of partitionsPerTopic) {
 *       for (const partition of ids) {
 *         out.get(members[partition % members.length].memberId)!
 *           .push({ topic, partition });
 *       }
 *     }
 *     return out;
 *   },
 * };
 * console.assert(modulo.name === "modulo");
 * ```
 */
export interface Assignor {
  /** The protocol name announced in JoinGroup (`"range"`, `"roundrobin"`, ...). */
  readonly name: string;
  /**
   * The rebalance protocols it supports (default `["eager"]`). A consumer
   * rebalances cooperatively only when every assignor it lists supports
   * `"cooperative"`.
   */
  readonly rebalanceProtocols?: readonly RebalanceProtocol[];
  /**
   * The assignment: member id → its partitions. Every member should have
   * an entry (an empty list when idle); a partition must not go to two
   * members, nor to a member that does not subscribe to its topic.
   */
  assign(input: AssignmentInput): Map<string, TopicPartition[]>;
  /** `userData` of this member's subscription (default `null`). */
  subscriptionUserData?(context: SubscriptionContext): Uint8Array | null;
}

/**
 * Java's member order for assignors (`MemberInfo.compareTo`): members with
 * a `groupInstanceId` first, by it, then the others by member id (UTF-16
 * code unit order, as Java's `String.compareTo`).
 *
 * @example
 * ```ts
 * import { compareMembers } from "./assignor.ts";
 * const a = { memberId: "b", groupInstanceId: null };
 * const b = { memberId: "a", groupInstanceId: "z" };
 * console.assert(compareMembers(a, b) > 0); // static members first
 * ```
 */
export function compareMembers(
  a: { memberId: string; groupInstanceId: string | null },
  b: { memberId: string; groupInstanceId: string | null },
): number {
  const x = a.groupInstanceId;
  const y = b.groupInstanceId;
  if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  if (x !== null) return -1;
  if (y !== null) return 1;
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}

/** `members` in Java's order (a new array). */
export function sortMembers<
  M extends { memberId: string; groupInstanceId: string | null },
>(members: readonly M[]): M[] {
  return [...members].sort(compareMembers);
}

/** The key of a partition in maps and sets: `topic\0partition`. */
export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** Groups partitions by topic (topics and ids ascending), the wire layout. */
export function groupByTopic(
  partitions: Iterable<TopicPartition>,
): TopicPartitions[] {
  const m = new Map<string, Set<number>>();
  for (const { topic, partition } of partitions) {
    let s = m.get(topic);
    if (!s) m.set(topic, s = new Set());
    s.add(partition);
  }
  return [...m.keys()].sort().map((topic) => ({
    topic,
    partitions: [...m.get(topic)!].sort((a, b) => a - b),
  }));
}

/** Flattens topic → partitions lists into single partitions. */
export function flatten(
  lists: Iterable<TopicPartitions>,
): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const t of lists) {
    for (const partition of t.partitions) {
      out.push({ topic: t.topic, partition });
    }
  }
  return out;
}

/** Sorts partitions by topic, then id (in place) and returns them. */
export function sortPartitions<T extends TopicPartition>(ps: T[]): T[] {
  return ps.sort((a, b) =>
    a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition
  );
}

/**
 * Checks an assignment an assignor returned (the leader does this before
 * sending it): every member id known, every partition existing and given
 * once, to a member that subscribes to its topic. Throws a `TypeError`
 * naming the assignor and the problem; returns the assignment with an entry
 * (possibly empty) for every member.
 */
export function checkAssignment(
  assignor: string,
  input: AssignmentInput,
  result: unknown,
): Map<string, TopicPartition[]> {
  if (!(result instanceof Map)) {
    throw new TypeError(
      `assignor ${
        JSON.stringify(assignor)
      } must return a Map of member id to partitions`,
    );
  }
  const members = new Map(input.members.map((m) => [m.memberId, m]));
  const out = new Map<string, TopicPartition[]>();
  for (const m of input.members) out.set(m.memberId, []);
  const seen = new Map<string, string>();
  for (const [memberId, list] of result as Map<unknown, unknown>) {
    const member = typeof memberId === "string"
      ? members.get(memberId)
      : undefined;
    if (!member) {
      throw new TypeError(
        `assignor ${JSON.stringify(assignor)} assigned partitions to ${
          JSON.stringify(memberId)
        }, which is not a member of the group`,
      );
    }
    if (!Array.isArray(list)) {
      throw new TypeError(
        `assignor ${JSON.stringify(assignor)}: the assignment of ${
          JSON.stringify(memberId)
        } must be an array of { topic, partition }`,
      );
    }
    const mine = out.get(member.memberId)!;
    for (const tp of list as unknown[]) {
      const t = (tp as TopicPartition)?.topic;
      const p = (tp as TopicPartition)?.partition;
      if (
        typeof t !== "string" || typeof p !== "number" ||
        !input.partitionsPerTopic.get(t)?.includes(p)
      ) {
        throw new TypeError(
          `assignor ${JSON.stringify(assignor)} assigned ${
            JSON.stringify(tp)
          } to ${
            JSON.stringify(memberId)
          }, which is not a partition of a subscribed topic`,
        );
      }
      if (!member.topics.includes(t)) {
        throw new TypeError(
          `assignor ${JSON.stringify(assignor)} assigned ${t}/${p} to ${
            JSON.stringify(memberId)
          }, which does not subscribe to ${t}`,
        );
      }
      const key = tpKey(t, p);
      const other = seen.get(key);
      if (other !== undefined) {
        throw new TypeError(
          `assignor ${JSON.stringify(assignor)} assigned ${t}/${p} to both ${
            JSON.stringify(other)
          } and ${JSON.stringify(memberId)}`,
        );
      }
      seen.set(key, member.memberId);
      mine.push({ topic: t, partition: p });
    }
  }
  return out;
}

/** True when `v` looks like an {@linkcode Assignor} (a name and an `assign` function). */
export function isAssignor(v: unknown): v is Assignor {
  return typeof v === "object" && v !== null &&
    typeof (v as Assignor).name === "string" &&
    (v as Assignor).name.length > 0 &&
    typeof (v as Assignor).assign === "function";
}
