/**
 * The options of the managed balanced consumers (Kafka's group protocol):
 * pykafka's `ManagedBalancedConsumer` arguments, camelCased, plus the
 * group protocol settings pykafka hard-coded or lacked, the rebalance
 * listener, their defaults and validation.
 *
 * @module
 */

import {
  type CheckedOptions,
  INT32_MAX,
  optionRangeError,
  optionTypeError,
  rules,
  validateOptions,
} from "../util/options.ts";
import {
  BALANCED_CONSUMER_DEFAULTS,
  BALANCED_CONSUMER_RULES,
  type BalancedConsumerCommonOptions,
} from "./balanced_options.ts";
import type { GroupMembershipProtocol } from "./membership_protocol.ts";
import { type Assignor, isAssignor } from "./assignors/assignor.ts";
import {
  assignorFor,
  type MembershipProtocolLike,
} from "./assignors/from_protocol.ts";
import { RangeAssignor } from "./assignors/range.ts";
import { CooperativeStickyAssignor } from "./assignors/cooperative_sticky.ts";
import {
  consumerOptionsFrom,
  type ResolvedConsumerOptions,
} from "./options.ts";
import type { TopicPartition } from "./fetch_engine.ts";
import type { ManagedBalancedConsumer } from "./managed_balanced_consumer.ts";
import type { MultiTopicManagedBalancedConsumer } from "./multi_topic_managed_consumer.ts";

/**
 * Which group protocol a managed consumer speaks: `"classic"` (JoinGroup /
 * SyncGroup / Heartbeat, any Kafka since 0.9; the leader member assigns)
 * or `"consumer"` (KIP-848's ConsumerGroupHeartbeat, Kafka 4.0+; the
 * broker assigns).
 *
 * @example
 * ```ts
 * import type { GroupProtocol } from "./managed_options.ts";
 * // KIP-848 where the broker is Kafka 4.0 or later, classic before.
 * const protocolFor = (brokerMajor: number): GroupProtocol =>
 *   brokerMajor >= 4 ? "consumer" : "classic";
 * console.assert(protocolFor(3) === "classic");
 * ```
 */
export type GroupProtocol = "classic" | "consumer";

/**
 * Rebalance listener (Java's `ConsumerRebalanceListener`): told when
 * partitions are assigned, revoked or lost. Each method may be async; the
 * rebalance waits for it (heartbeats go on meanwhile). An error it throws
 * is raised by the next `consume()`; the rebalance goes on.
 *
 * - `onPartitionsRevoked(partitions)`: partitions given up in an orderly
 *   way (a rebalance moves them, or the consumer stops). Nothing more of
 *   theirs is delivered, but they are still assigned: `commitOffsets()`
 *   here commits their positions before another member takes them (with
 *   `autoCommitEnable` that commit follows anyway).
 * - `onPartitionsLost(partitions)`: partitions another member may own
 *   already (the membership expired, the coordinator fenced this member):
 *   they are released first, and their offsets cannot be committed.
 *   Without this method, `onPartitionsRevoked` is called instead.
 * - `onPartitionsAssigned(partitions)`: called after every completed
 *   rebalance with the partitions newly assigned (possibly none), once
 *   their positions are known; `resetOffsets()` here moves them.
 *
 * @example
 * ```ts
 * import type { RebalanceListener } from "./managed_options.ts";
 * // Writes a batch per partition; flushes what it holds before the
 * // partitions move (pass it as `rebalanceListener`).
 * const pending = new Map<string, string[]>();
 * const flushed: string[] = [];
 * const listener: RebalanceListener = {
 *   onPartitionsAssigned(partitions) {
 *     for (const tp of partitions) pending.set(`${tp.topic}/${tp.partition}`, []);
 *   },
 *   async onPartitionsRevoked(partitions) {
 *     for (const tp of partitions) {
 *       const key = `${tp.topic}/${tp.partition}`;
 *       flushed.push(...(pending.get(key) ?? []));
 *       pending.delete(key);
 *     }
 *     await Promise.resolve(); // e.g. write to a database, then commitOffsets()
 *   },
 * };
 * await listener.onPartitionsAssigned!([{ topic: "orders", partition: 0 }]);
 * pending.get("orders/0")!.push("row 1");
 * await listener.onPartitionsRevoked!([{ topic: "orders", partition: 0 }]);
 * console.assert(flushed.length === 1 && pending.size === 0);
 * ```
 */
export interface RebalanceListener {
  /** Partitions newly assigned (called after every rebalance, maybe with none). */
  onPartitionsAssigned?(
    partitions: TopicPartition[],
  ): void | Promise<void>;
  /** Partitions given up in an orderly way (commit here). */
  onPartitionsRevoked?(partitions: TopicPartition[]): void | Promise<void>;
  /** Partitions lost (another member may own them already; no commit possible). */
  onPartitionsLost?(partitions: TopicPartition[]): void | Promise<void>;
}

/**
 * The group-protocol options both managed consumers take beyond
 * `BalancedConsumerCommonOptions` (the SimpleConsumer's options plus
 * `consumerGroup`, `rebalanceMaxRetries`, `rebalanceBackoffMs`,
 * `postRebalanceCallback`).
 *
 * @example
 * ```ts
 * import type { ManagedGroupOptions } from "./managed_options.ts";
 * import { CooperativeStickyAssignor } from "./assignors/cooperative_sticky.ts";
 * const group: ManagedGroupOptions = {
 *   managed: true,
 *   sessionTimeoutMs: 30_000,
 *   heartbeatIntervalMs: 3_000,
 *   groupInstanceId: "billing-host-1", // static membership
 *   membershipProtocol: CooperativeStickyAssignor,
 * };
 * console.assert(group.managed);
 * ```
 */
export interface ManagedGroupOptions {
  /** `true` (the managed consumer; `getBalancedConsumer`'s switch). */
  managed?: true;
  /**
   * Heartbeat period in ms (default 3000, pykafka's and Java's); below
   * `sessionTimeoutMs`. With `groupProtocol: "consumer"` the broker sets
   * the period (`group.consumer.heartbeat.interval.ms`) and this is ignored.
   */
  heartbeatIntervalMs?: number;
  /**
   * The coordinator drops a member it has not heard from for this long, in
   * ms (default 45000, Java's; pykafka fixed 30000). It must lie within the
   * broker's `group.min.session.timeout.ms` .. `group.max.session.timeout.ms`
   * (6000 .. 1800000 by default). With `groupProtocol: "consumer"` the
   * broker's `group.consumer.session.timeout.ms` applies instead; this
   * bounds how long this member keeps its partitions without an answer.
   */
  sessionTimeoutMs?: number;
  /**
   * How long the coordinator waits for every member to rejoin in a
   * rebalance (JoinGroup v1+), and for a member to give up partitions that
   * move (KIP-848), in ms (default 60000). Rebalance listeners should finish
   * within it. Also bounds how long a commit waits for a rebalance to end.
   */
  rebalanceTimeoutMs?: number;
  /**
   * Static membership (KIP-345, Kafka 2.3+): a stable id for this member.
   * A member with an id does not leave the group when it stops, so a
   * restart within the session timeout gets the same partitions back
   * without a rebalance of the others. Two running consumers with one id:
   * the older one is fenced (`FencedInstanceIdError`, it stops).
   */
  groupInstanceId?: string;
  /** `"classic"` (default) or `"consumer"` (KIP-848, Kafka 4.0+). */
  groupProtocol?: GroupProtocol;
  /**
   * How members split the partitions (default `RangeProtocol`, Java's
   * `"range"`): pykafka's `RangeProtocol` / `RoundRobinProtocol` (Java's
   * `range` / `roundrobin` assignors), `CooperativeStickyAssignor`
   * (incremental rebalancing), any {@linkcode Assignor}, any
   * pykafka-style `GroupMembershipProtocol`, or a list of them in order of
   * preference (the group uses the first one every member lists; it
   * rebalances cooperatively only when every listed assignor can). With
   * `groupProtocol: "consumer"` the broker assigns: `range` asks for its
   * `range` assignor, the others for `uniform` (see `serverAssignor`).
   */
  membershipProtocol?:
    | MembershipProtocolLike
    | readonly MembershipProtocolLike[];
  /**
   * KIP-848 only: the broker-side assignor (`"uniform"` or `"range"`;
   * default: from `membershipProtocol` when given, else the broker's
   * default, `uniform`).
   */
  serverAssignor?: string;
  /** Told when partitions are assigned, revoked or lost; see {@linkcode RebalanceListener}. */
  rebalanceListener?: RebalanceListener;
}

/**
 * The defaults of {@linkcode ManagedGroupOptions}.
 *
 * @example
 * ```ts
 * import { MANAGED_CONSUMER_DEFAULTS } from "./managed_options.ts";
 * console.assert(MANAGED_CONSUMER_DEFAULTS.sessionTimeoutMs === 45_000);
 * console.assert(MANAGED_CONSUMER_DEFAULTS.groupProtocol === "classic");
 * ```
 */
export const MANAGED_CONSUMER_DEFAULTS: {
  readonly heartbeatIntervalMs: number;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly groupProtocol: GroupProtocol;
} = Object.freeze({
  heartbeatIntervalMs: 3000,
  sessionTimeoutMs: 45_000,
  rebalanceTimeoutMs: 60_000,
  groupProtocol: "classic",
});

const protocolItem = (v: unknown): boolean =>
  isAssignor(v) ||
  (typeof v === "object" && v !== null &&
    typeof (v as GroupMembershipProtocol).protocolName === "string" &&
    typeof (v as GroupMembershipProtocol).decidePartitions === "function");

const PROTOCOL_TEXT =
  "a GroupMembershipProtocol (RangeProtocol, RoundRobinProtocol, { protocolType, protocolName, decidePartitions }), an Assignor ({ name, assign }, e.g. CooperativeStickyAssignor) or a non-empty array of them";

/** The rules of the managed consumers' own options (internal). */
export const MANAGED_GROUP_RULES = {
  managed: rules.oneOf<true>([true], "true (the managed consumer)"),
  heartbeatIntervalMs: rules.ms(1),
  sessionTimeoutMs: rules.ms(1),
  rebalanceTimeoutMs: rules.ms(1),
  groupInstanceId: rules.string(true),
  groupProtocol: rules.oneOf<GroupProtocol>(
    ["classic", "consumer"],
    '"classic" or "consumer"',
  ),
  membershipProtocol: rules.check<
    MembershipProtocolLike | readonly MembershipProtocolLike[]
  >(
    PROTOCOL_TEXT,
    (v) =>
      Array.isArray(v)
        ? v.length > 0 && v.every(protocolItem)
        : protocolItem(v),
  ),
  serverAssignor: rules.string(true),
  rebalanceListener: rules.check<RebalanceListener>(
    "an object with onPartitionsAssigned / onPartitionsRevoked / onPartitionsLost methods",
    (v) =>
      typeof v === "object" && v !== null && !Array.isArray(v) &&
      ["onPartitionsAssigned", "onPartitionsRevoked", "onPartitionsLost"]
        .every((k) => {
          const f = (v as Record<string, unknown>)[k];
          return f === undefined || typeof f === "function";
        }),
  ),
};

/** Every managed-consumer setting, resolved (internal). */
export interface ResolvedManagedOptions<V, K>
  extends ResolvedConsumerOptions<V, K> {
  consumerGroup: string;
  rebalanceMaxRetries: number;
  rebalanceBackoffMs: number;
  postRebalanceCallback: ((...args: never[]) => unknown) | undefined;
  heartbeatIntervalMs: number;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  groupInstanceId: string | null;
  groupProtocol: GroupProtocol;
  assignors: Assignor[];
  serverAssignor: string | null;
  rebalanceListener: RebalanceListener | undefined;
}

/**
 * Checks a managed consumer's options (`owner` names the class in
 * messages; `extra` are rules of options only one form takes, such as
 * `topics`) and fills in the defaults. Unknown option or wrong type:
 * `TypeError`; out of range or contradicting another option: `RangeError`.
 */
export function resolveManagedOptions<V, K>(
  owner: string,
  options: unknown,
  extra: Record<string, (v: unknown, owner: string, name: string) => unknown> =
    {},
): { resolved: ResolvedManagedOptions<V, K>; extra: Record<string, unknown> } {
  const table = {
    ...BALANCED_CONSUMER_RULES,
    // (its membershipProtocol rule also takes assignors)
    ...MANAGED_GROUP_RULES,
    ...extra,
  };
  const checked = validateOptions(owner, options, table) as
    & CheckedOptions<
      typeof BALANCED_CONSUMER_RULES & typeof MANAGED_GROUP_RULES
    >
    & Record<string, unknown>;
  const base = consumerOptionsFrom<V, K>(
    { ...checked, partitions: undefined },
    owner,
  );
  const d = MANAGED_CONSUMER_DEFAULTS;
  const heartbeatIntervalMs = checked.heartbeatIntervalMs ??
    d.heartbeatIntervalMs;
  const sessionTimeoutMs = checked.sessionTimeoutMs ?? d.sessionTimeoutMs;
  const groupProtocol = checked.groupProtocol ?? d.groupProtocol;
  if (groupProtocol === "classic" && heartbeatIntervalMs >= sessionTimeoutMs) {
    throw optionRangeError(
      owner,
      "heartbeatIntervalMs",
      `less than sessionTimeoutMs (${sessionTimeoutMs})`,
      heartbeatIntervalMs,
    );
  }
  const given = checked.membershipProtocol;
  const list: MembershipProtocolLike[] = given === undefined
    ? []
    : Array.isArray(given)
    ? [...given]
    : [given as MembershipProtocolLike];
  const assignors = list.map(assignorFor);
  if (assignors.length === 0) assignors.push(RangeAssignor);
  const names = new Set<string>();
  for (const a of assignors) {
    if (names.has(a.name)) {
      throw optionRangeError(
        owner,
        "membershipProtocol",
        "a list of protocols with different names",
        given,
      );
    }
    names.add(a.name);
  }
  let serverAssignor: string | null = checked.serverAssignor ?? null;
  if (groupProtocol === "consumer" && serverAssignor === null && given) {
    const first = assignors[0];
    if (first === RangeAssignor) serverAssignor = "range";
    else if (
      first.name === "roundrobin" || first === CooperativeStickyAssignor
    ) {
      serverAssignor = "uniform";
    } else {
      throw optionTypeError(
        owner,
        "membershipProtocol",
        'RangeProtocol, RoundRobinProtocol or CooperativeStickyAssignor with groupProtocol "consumer" (the broker assigns; custom assignors run only in the classic protocol)',
        first,
      );
    }
  }
  if (groupProtocol === "classic" && checked.serverAssignor !== undefined) {
    throw optionRangeError(
      owner,
      "serverAssignor",
      'used only with groupProtocol "consumer"',
      checked.serverAssignor,
    );
  }
  const rebalanceTimeoutMs = checked.rebalanceTimeoutMs ??
    d.rebalanceTimeoutMs;
  if (rebalanceTimeoutMs > INT32_MAX) {
    throw optionRangeError(
      owner,
      "rebalanceTimeoutMs",
      "at most 2147483647",
      rebalanceTimeoutMs,
    );
  }
  const resolved: ResolvedManagedOptions<V, K> = {
    ...base,
    consumerGroup: checked.consumerGroup,
    rebalanceMaxRetries: checked.rebalanceMaxRetries ??
      BALANCED_CONSUMER_DEFAULTS.rebalanceMaxRetries,
    rebalanceBackoffMs: checked.rebalanceBackoffMs ??
      BALANCED_CONSUMER_DEFAULTS.rebalanceBackoffMs,
    postRebalanceCallback: checked.postRebalanceCallback as
      | ((...args: never[]) => unknown)
      | undefined,
    heartbeatIntervalMs,
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    groupInstanceId: checked.groupInstanceId ?? null,
    groupProtocol,
    assignors,
    serverAssignor,
    rebalanceListener: checked.rebalanceListener,
  };
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(extra)) out[k] = checked[k];
  return { resolved, extra: out };
}

/**
 * Options of a {@linkcode ManagedBalancedConsumer}
 * (`topic.getBalancedConsumer({ consumerGroup, managed: true, ... })`):
 * the SimpleConsumer's options (but `partitions`, which the group decides),
 * pykafka's balanced-consumer options and the group protocol's.
 *
 * @typeParam V the type of `message.value` after deserializing
 * @typeParam K the type of `message.partitionKey` after deserializing
 *
 * @example
 * ```ts
 * import type { ManagedBalancedConsumerOptions } from "./managed_options.ts";
 * const options: ManagedBalancedConsumerOptions = {
 *   consumerGroup: "billing",
 *   managed: true,
 *   autoCommitEnable: true,
 *   sessionTimeoutMs: 30_000,
 *   groupInstanceId: "billing-1",
 * };
 * ```
 */
export interface ManagedBalancedConsumerOptions<
  V = Uint8Array | null,
  K = Uint8Array | null,
> extends
  Omit<
    BalancedConsumerCommonOptions<ManagedBalancedConsumer<V, K>, V, K>,
    "membershipProtocol"
  >,
  ManagedGroupOptions {}

/**
 * The multi-topic consumer's post-rebalance callback: like pykafka's
 * (`PostRebalanceCallback`), with offsets per topic (topic name →
 * partition id → held offset) before and after the rebalance. A returned
 * `Map` (or object `{ topic: { partitionId: offset } }`) resets those
 * partitions, with `resetOffsets`'s semantics.
 *
 * @typeParam C the consumer class passed as the first argument
 *
 * @example
 * ```ts
 * import type { MultiTopicPostRebalanceCallback } from "./managed_options.ts";
 * // Newly assigned partitions of "audit" start over at offset 0 (the held
 * // offset -2 means "nothing consumed, positioned at 0").
 * const callback: MultiTopicPostRebalanceCallback<unknown> = (_c, old, now) => {
 *   const fresh = new Map<number, number>();
 *   for (const [p] of now.get("audit") ?? []) {
 *     if (!old.get("audit")?.has(p)) fresh.set(p, -2);
 *   }
 *   return new Map([["audit", fresh]]);
 * };
 * const reset = callback(
 *   null,
 *   new Map([["audit", new Map([[0, 41]])]]),
 *   new Map([["audit", new Map([[0, 41], [1, 17]])]]),
 * ) as Map<string, Map<number, number>>;
 * console.assert(reset.get("audit")!.get(1) === -2 && !reset.get("audit")!.has(0));
 * ```
 */
export type MultiTopicPostRebalanceCallback<C> = (
  consumer: C,
  oldOffsets: Map<string, Map<number, number>>,
  newOffsets: Map<string, Map<number, number>>,
) =>
  | Map<string, Map<number, number>>
  | Record<string, Record<number, number>>
  | void
  | undefined
  | null
  | Promise<
    | Map<string, Map<number, number>>
    | Record<string, Record<number, number>>
    | void
    | undefined
    | null
  >;

/**
 * Options of a {@linkcode MultiTopicManagedBalancedConsumer}
 * (`client.getBalancedConsumer({ topics, consumerGroup, managed: true })`):
 * those of {@linkcode ManagedBalancedConsumerOptions} plus `topics`, with
 * offsets keyed by topic in the post-rebalance callback.
 *
 * @typeParam V the type of `message.value` after deserializing
 * @typeParam K the type of `message.partitionKey` after deserializing
 *
 * @example
 * ```ts
 * import type { MultiTopicManagedBalancedConsumerOptions } from "./managed_options.ts";
 * const options: MultiTopicManagedBalancedConsumerOptions = {
 *   topics: ["orders", "refunds"],
 *   consumerGroup: "billing",
 *   managed: true,
 * };
 * ```
 */
export interface MultiTopicManagedBalancedConsumerOptions<
  V = Uint8Array | null,
  K = Uint8Array | null,
> extends Omit<ManagedBalancedConsumerOptions<V, K>, "postRebalanceCallback"> {
  /** The topics to consume (names; each resolved like `client.topics.get`). */
  topics: readonly string[];
  /** Runs after each rebalance; see {@linkcode MultiTopicPostRebalanceCallback}. */
  postRebalanceCallback?: MultiTopicPostRebalanceCallback<
    MultiTopicManagedBalancedConsumer<V, K>
  >;
}
