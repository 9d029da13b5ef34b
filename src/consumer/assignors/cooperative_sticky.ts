/**
 * {@linkcode CooperativeStickyAssignor}: the `"cooperative-sticky"`
 * protocol (Java's `CooperativeStickyAssignor`, KIP-429): a balanced
 * assignment that moves as few partitions as possible, rebalanced
 * incrementally.
 *
 * @module
 */

import {
  type AssignmentInput,
  type Assignor,
  type AssignorSubscription,
  sortMembers,
  type SubscriptionContext,
  type TopicPartition,
  tpKey,
} from "./assignor.ts";

/**
 * The generation a member owned its partitions in: the subscription's
 * field (v2+), else the int32 older members put in `userData`, else -1.
 */
export function memberGeneration(m: AssignorSubscription): number {
  if (m.generationId >= 0) return m.generationId;
  const u = m.userData;
  if (u && u.length >= 4) {
    return new DataView(u.buffer, u.byteOffset, 4).getInt32(0);
  }
  return -1;
}

/**
 * The partitions each member validly owns (Java's rules): only members of
 * the highest generation seen keep theirs (or every member when none
 * reports a generation); a partition two of them claim belongs to neither;
 * partitions of topics the member no longer subscribes to, or that no
 * longer exist, are dropped.
 */
export function validOwners(
  members: readonly AssignorSubscription[],
  partitionsPerTopic: ReadonlyMap<string, readonly number[]>,
): Map<string, string> {
  let maxGeneration = -1;
  for (const m of members) {
    maxGeneration = Math.max(maxGeneration, memberGeneration(m));
  }
  const owner = new Map<string, string>();
  const conflicts = new Set<string>();
  for (const m of members) {
    if (memberGeneration(m) !== maxGeneration) continue;
    const subscribed = new Set(m.topics);
    for (const t of m.ownedPartitions) {
      if (!subscribed.has(t.topic)) continue;
      const ids = partitionsPerTopic.get(t.topic);
      if (!ids) continue;
      for (const p of t.partitions) {
        if (!ids.includes(p)) continue;
        const key = tpKey(t.topic, p);
        if (conflicts.has(key)) continue;
        if (owner.has(key) && owner.get(key) !== m.memberId) {
          owner.delete(key);
          conflicts.add(key);
        } else owner.set(key, m.memberId);
      }
    }
  }
  return owner;
}

interface Slot {
  member: AssignorSubscription;
  topics: Set<string>;
  /** Partitions held, as keys, in the order taken. */
  held: string[];
}

/**
 * A balanced, sticky assignment (before the cooperative step): members keep
 * what they validly own as far as balance allows, the rest is dealt to the
 * least loaded eligible members, then partitions move from the most to the
 * least loaded members until no eligible move narrows the gap.
 */
export function stickyAssignment(
  input: Pick<AssignmentInput, "members" | "partitionsPerTopic">,
  owners: ReadonlyMap<string, string>,
): Map<string, TopicPartition[]> {
  const members = sortMembers(input.members);
  const slots = new Map<string, Slot>(
    members.map((m) => [m.memberId, {
      member: m,
      topics: new Set(m.topics),
      held: [],
    }]),
  );
  const all: TopicPartition[] = [];
  const byKey = new Map<string, TopicPartition>();
  for (const topic of [...input.partitionsPerTopic.keys()].sort()) {
    if (!members.some((m) => m.topics.includes(topic))) continue;
    for (const partition of input.partitionsPerTopic.get(topic)!) {
      const tp = { topic, partition };
      all.push(tp);
      byKey.set(tpKey(topic, partition), tp);
    }
  }
  if (members.length === 0) return new Map();
  const byTopic = new Map<string, Slot[]>();
  const eligible = (key: string): Slot[] => {
    const t = byKey.get(key)!.topic;
    let l = byTopic.get(t);
    if (!l) {
      l = members.map((m) => slots.get(m.memberId)!).filter((s) =>
        s.topics.has(t)
      );
      byTopic.set(t, l);
    }
    return l;
  };
  const sameSubscriptions = members.every((m) =>
    m.topics.length === members[0].topics.length &&
    m.topics.every((t) => slots.get(members[0].memberId)!.topics.has(t))
  );
  // 1. Keep owned partitions, up to the quota when everyone subscribes to
  //    the same topics (so balance needs few moves).
  const minQuota = Math.floor(all.length / members.length);
  let maxSlots = all.length % members.length;
  for (const m of members) {
    const s = slots.get(m.memberId)!;
    const owned = all.map((tp) => tpKey(tp.topic, tp.partition)).filter((k) =>
      owners.get(k) === m.memberId
    );
    let keep = owned.length;
    if (sameSubscriptions && keep > minQuota) {
      if (maxSlots > 0) {
        keep = minQuota + 1;
        maxSlots--;
      } else keep = minQuota;
    }
    s.held.push(...owned.slice(0, keep));
  }
  const taken = new Set<string>();
  for (const s of slots.values()) for (const k of s.held) taken.add(k);
  // 2. Deal the rest: partitions with the fewest candidates first, each to
  //    the least loaded candidate (ties: member order).
  const free = all.map((tp) => tpKey(tp.topic, tp.partition)).filter((k) =>
    !taken.has(k)
  );
  const candidates = new Map(free.map((k) => [k, eligible(k)]));
  free.sort((a, b) => candidates.get(a)!.length - candidates.get(b)!.length);
  for (const k of free) {
    let best: Slot | undefined;
    for (const s of candidates.get(k)!) {
      if (!best || s.held.length < best.held.length) best = s;
    }
    best?.held.push(k);
  }
  // 3. Balance: move from the most loaded member to a less loaded eligible
  //    one while that narrows the gap by at least 2.
  for (let moves = 0; moves < all.length * members.length; moves++) {
    const ordered = [...slots.values()].sort((a, b) =>
      b.held.length - a.held.length
    );
    let moved = false;
    for (const from of ordered) {
      // Last taken first: what a member kept as owned moves last.
      for (let i = from.held.length - 1; i >= 0 && !moved; i--) {
        const k = from.held[i];
        let to: Slot | undefined;
        for (const s of eligible(k)) {
          if (
            s.held.length < from.held.length - 1 &&
            (!to || s.held.length < to.held.length)
          ) to = s;
        }
        if (to) {
          from.held.splice(i, 1);
          to.held.push(k);
          moved = true;
        }
      }
      if (moved) break;
    }
    if (!moved) break;
  }
  const out = new Map<string, TopicPartition[]>();
  for (const m of input.members) {
    out.set(
      m.memberId,
      slots.get(m.memberId)!.held.map((k) => ({ ...byKey.get(k)! })),
    );
  }
  return out;
}

/**
 * The cooperative-sticky assignor (protocol name `"cooperative-sticky"`,
 * Java's `CooperativeStickyAssignor`): a balanced assignment (partition
 * counts differ by at most one when every member subscribes to the same
 * topics) that keeps each member's owned partitions where balance allows,
 * then, for incremental rebalancing, leaves out of this round every
 * partition that changes owner: its old owner revokes it and rejoins, and
 * the next rebalance hands it over. Owned partitions count only from the
 * members of the newest generation (the subscription's `generationId`, or
 * the generation older members put in `userData`, which this one writes
 * too). Supports the cooperative and the eager protocol.
 *
 * @example
 * ```ts
 * import { CooperativeStickyAssignor } from "./cooperative_sticky.ts";
 * const member = (memberId: string, owned: number[]) => ({
 *   memberId, groupInstanceId: null, topics: ["t"], userData: null,
 *   ownedPartitions: [{ topic: "t", partitions: owned }], generationId: 1,
 *   rackId: null,
 * });
 * // "a" owned everything; "b" just joined: "a" keeps two, gives one up
 * // (not yet assigned to "b": it moves in the next rebalance).
 * const out = CooperativeStickyAssignor.assign({
 *   members: [member("a", [0, 1, 2, 3]), member("b", [])],
 *   partitionsPerTopic: new Map([["t", [0, 1, 2, 3]]]),
 *   leaderOf: () => -1,
 *   rebalanceProtocol: "cooperative",
 * });
 * console.assert(out.get("a")!.length === 2 && out.get("b")!.length === 0);
 * ```
 */
export const CooperativeStickyAssignor: Assignor = Object.freeze({
  name: "cooperative-sticky",
  rebalanceProtocols: Object.freeze(["cooperative", "eager"] as const),
  assign(input: AssignmentInput): Map<string, TopicPartition[]> {
    const owners = validOwners(input.members, input.partitionsPerTopic);
    const target = stickyAssignment(input, owners);
    // Incremental: a partition another member still owns is not handed
    // over in this round.
    for (const [memberId, list] of target) {
      target.set(
        memberId,
        list.filter((tp) => {
          const owner = owners.get(tpKey(tp.topic, tp.partition));
          return owner === undefined || owner === memberId;
        }),
      );
    }
    return target;
  },
  subscriptionUserData(context: SubscriptionContext): Uint8Array | null {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setInt32(0, context.generationId);
    return out;
  },
});
