/**
 * The options both balanced consumers share (pykafka's `BalancedConsumer`
 * and `ManagedBalancedConsumer` arguments beyond the SimpleConsumer's):
 * the group, the rebalance retry policy, the post-rebalance callback and
 * the membership protocol. Each consumer adds its own (ZooKeeper or
 * Kafka group protocol) on top.
 *
 * @module
 */

import { type CheckedOptions, rules } from "../util/options.ts";
import type { GroupMembershipProtocol } from "./membership_protocol.ts";
import {
  SIMPLE_CONSUMER_RULES,
  type SimpleConsumerOptions,
} from "./options.ts";

/**
 * pykafka's `post_rebalance_callback(consumer, old_offsets, new_offsets)`:
 * runs after every rebalance with the held offsets (partition id → offset)
 * before and after it. A returned map `{ partitionId: offset }` (a `Map` or
 * a plain object) resets those partitions' offsets, with `resetOffsets`'s
 * semantics; nothing returned leaves them. An error it throws reaches the
 * caller of `consume()`.
 *
 * @typeParam C the consumer class passed as the first argument
 */
export type PostRebalanceCallback<C> = (
  consumer: C,
  oldOffsets: Map<number, number>,
  newOffsets: Map<number, number>,
) =>
  | Map<number, number>
  | Record<number, number>
  | void
  | undefined
  | null
  | Promise<
    Map<number, number> | Record<number, number> | void | undefined | null
  >;

/**
 * The options both balanced consumers take: the SimpleConsumer's (but
 * `partitions`, which the group decides) plus pykafka's rebalance options.
 *
 * @typeParam C the consumer class (for the callback's first argument)
 * @typeParam V the type of `message.value` after deserializing
 * @typeParam K the type of `message.partitionKey` after deserializing
 */
export interface BalancedConsumerCommonOptions<
  C,
  V = Uint8Array | null,
  K = Uint8Array | null,
> extends Omit<SimpleConsumerOptions<V, K>, "partitions" | "consumerGroup"> {
  /** The consumer group (required). */
  consumerGroup: string;
  /** Attempts of one rebalance before it fails (pykafka's default 5). */
  rebalanceMaxRetries?: number;
  /** Backoff unit between rebalance attempts, in ms: attempt i waits i × this (pykafka's default 2000). */
  rebalanceBackoffMs?: number;
  /** Runs after each rebalance; see {@linkcode PostRebalanceCallback}. */
  postRebalanceCallback?: PostRebalanceCallback<C>;
  /**
   * How the members split the partitions (default `RangeProtocol`): a
   * {@linkcode GroupMembershipProtocol}.
   */
  membershipProtocol?: GroupMembershipProtocol;
}

/** pykafka's defaults of the shared balanced-consumer options. */
export const BALANCED_CONSUMER_DEFAULTS: {
  readonly rebalanceMaxRetries: number;
  readonly rebalanceBackoffMs: number;
} = Object.freeze({
  rebalanceMaxRetries: 5,
  rebalanceBackoffMs: 2000,
});

const { partitions: _partitions, ...simpleRulesButPartitions } =
  SIMPLE_CONSUMER_RULES;

/**
 * The rules of {@linkcode BalancedConsumerCommonOptions}: the
 * SimpleConsumer's but `partitions`, with `consumerGroup` required, plus the
 * rebalance options. A consumer validates "these + its own" in one
 * `validateOptions` call under its own class name.
 */
export const BALANCED_CONSUMER_RULES = {
  ...simpleRulesButPartitions,
  consumerGroup: rules.required(rules.string(true), "a non-empty string"),
  rebalanceMaxRetries: rules.int(1, 1000),
  rebalanceBackoffMs: rules.ms(0),
  postRebalanceCallback: rules.func<PostRebalanceCallback<unknown>>(
    "a function (consumer, oldOffsets, newOffsets) => offsets | undefined",
  ),
  membershipProtocol: rules.check<GroupMembershipProtocol>(
    "a GroupMembershipProtocol (RangeProtocol, RoundRobinProtocol or { protocolType, protocolName, decidePartitions })",
    (v) =>
      typeof v === "object" && v !== null &&
      typeof (v as GroupMembershipProtocol).protocolName === "string" &&
      typeof (v as GroupMembershipProtocol).decidePartitions === "function",
  ),
};

/** The checked shared options. */
export type CheckedBalancedOptions = CheckedOptions<
  typeof BALANCED_CONSUMER_RULES
>;

/**
 * A post-rebalance callback's result as a map (partition id → offset), or
 * `undefined` when it returned nothing.
 */
export function rebalanceResetMap(
  result: Map<number, number> | Record<number, number> | void | null,
): Map<number, number> | undefined {
  if (result === undefined || result === null) return undefined;
  if (result instanceof Map) return new Map(result);
  if (typeof result !== "object") {
    throw new TypeError(
      "postRebalanceCallback must return a Map or an object { partitionId: offset }, or nothing",
    );
  }
  const out = new Map<number, number>();
  for (const [k, v] of Object.entries(result)) out.set(Number(k), v);
  return out;
}
