// The consumer protocol's bytes inside the classic group protocol: a
// member's subscription (JoinGroup `metadata`) and its assignment
// (SyncGroup `assignment`), int16 version first, Kafka's standard encoding,
// so denokafka, Java and librdkafka members read each other's.

import {
  type ConsumerProtocolAssignment,
  ConsumerProtocolAssignmentSchema,
  type ConsumerProtocolSubscription,
  ConsumerProtocolSubscriptionSchema,
  decodeVersioned,
  encodeVersioned,
} from "../protocol/mod.ts";
import {
  type AssignorSubscription,
  flatten,
  groupByTopic,
  type TopicPartition,
} from "./assignors/assignor.ts";

/** The subscription version written (Java 3.x/4.x writes 3). */
export const SUBSCRIPTION_VERSION = 3;
/** The assignment version written (Java 3.x/4.x writes 3). */
export const ASSIGNMENT_VERSION = 3;

/** What this member puts in its subscription. */
export interface OwnSubscription {
  topics: readonly string[];
  userData: Uint8Array | null;
  ownedPartitions: readonly TopicPartition[];
  generationId: number;
  rackId: string | null;
}

/** A subscription's bytes (topics sorted, owned partitions grouped by topic). */
export function encodeSubscription(s: OwnSubscription): Uint8Array {
  const value: ConsumerProtocolSubscription = {
    topics: [...new Set(s.topics)].sort(),
    userData: s.userData,
    ownedPartitions: groupByTopic(s.ownedPartitions),
    generationId: s.generationId,
    rackId: s.rackId,
  };
  return encodeVersioned(
    ConsumerProtocolSubscriptionSchema,
    SUBSCRIPTION_VERSION,
    value,
  );
}

/**
 * A member's subscription from its JoinGroup metadata (any version; newer
 * versions are read as the newest known, as Java does). Throws
 * `ProtocolError` for bytes that are not a consumer subscription.
 */
export function decodeSubscription(
  memberId: string,
  groupInstanceId: string | null,
  bytes: Uint8Array,
): AssignorSubscription {
  const { value } = decodeVersioned(ConsumerProtocolSubscriptionSchema, bytes);
  return {
    memberId,
    groupInstanceId,
    topics: value.topics,
    userData: value.userData,
    ownedPartitions: value.ownedPartitions ?? [],
    generationId: value.generationId ?? -1,
    rackId: value.rackId ?? null,
  };
}

/** An assignment's bytes. */
export function encodeAssignment(
  partitions: readonly TopicPartition[],
  userData: Uint8Array | null = null,
): Uint8Array {
  const value: ConsumerProtocolAssignment = {
    assignedPartitions: groupByTopic(partitions),
    userData,
  };
  return encodeVersioned(
    ConsumerProtocolAssignmentSchema,
    ASSIGNMENT_VERSION,
    value,
  );
}

/**
 * The partitions of an assignment (empty bytes: nothing assigned, as a
 * coordinator answers a member the leader left out).
 */
export function decodeAssignment(bytes: Uint8Array): TopicPartition[] {
  if (bytes.length === 0) return [];
  const { value } = decodeVersioned(ConsumerProtocolAssignmentSchema, bytes);
  return flatten(value.assignedPartitions);
}
