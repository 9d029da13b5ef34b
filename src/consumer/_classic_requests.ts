// The classic group protocol's request bodies and messages, apart from its
// state machine (_classic_membership.ts): the subscription bytes a member
// offers per assignor, the JoinGroup body at the version the coordinator
// serves (static membership needs v5), LeaveGroup (v0-2 one member, v3+ a
// member list with a reason from v5), and the error reported when a
// session expired while the coordinator was unreachable.

import { LeaveGroup } from "../protocol/mod.ts";
import type { Assignor, TopicPartition } from "./assignors/assignor.ts";
import { encodeSubscription } from "./_consumer_protocol.ts";
import { FatalMembershipError, type GroupChannel } from "./_membership.ts";

/** A member's subscription bytes for `assignor` (consumer protocol). */
export function subscriptionBytes(
  assignor: Assignor,
  topics: readonly string[],
  ownedPartitions: TopicPartition[],
  generationId: number,
): Uint8Array {
  return encodeSubscription({
    topics: [...topics],
    userData: assignor.subscriptionUserData?.({
      topics,
      ownedPartitions,
      generationId,
    }) ?? null,
    ownedPartitions,
    generationId,
    rackId: null,
  });
}

/** What a JoinGroup body is made of. */
export interface JoinGroupFields {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocols: { name: string; metadata: Uint8Array }[];
  reason: string;
}

/**
 * The JoinGroup body for version `v`; static membership below v5 (Kafka
 * 2.3) is a fatal error.
 */
export function joinGroupBody(v: number, f: JoinGroupFields) {
  if (f.groupInstanceId !== null && v < 5) {
    throw new FatalMembershipError(
      `static membership (groupInstanceId) needs JoinGroup v5 (Kafka 2.3+); the coordinator serves v${v}`,
      undefined,
    );
  }
  return { ...f, protocolType: "consumer" };
}

/** Sends LeaveGroup for `memberId`; resolves with the error code. */
export async function leaveGroup(
  channel: GroupChannel,
  groupId: string,
  memberId: string,
  timeoutMs: number,
): Promise<number> {
  const { response } = await channel.send(
    LeaveGroup,
    (v) =>
      v >= 3
        ? {
          groupId,
          members: [{
            memberId,
            groupInstanceId: null,
            ...(v >= 5 ? { reason: "the consumer is stopping" } : {}),
          }],
        }
        : { groupId, memberId },
    { lane: "heartbeat", timeoutMs },
  );
  return response.errorCode;
}
