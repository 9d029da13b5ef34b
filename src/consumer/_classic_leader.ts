// The leader's part of a classic rebalance: read every member's
// subscription from the JoinGroup answer, look up the subscribed topics
// (without creating any), run the chosen assignor, check its result and
// encode each member's assignment for SyncGroup.

import { KafkaError } from "../errors/mod.ts";
import type {
  JoinGroupResponseMember,
  SyncGroupRequestAssignment,
} from "../protocol/mod.ts";
import { errorText } from "../util/error_text.ts";
import {
  type Assignor,
  type AssignorSubscription,
  checkAssignment,
  type RebalanceProtocol,
  sortMembers,
  type TopicPartition,
} from "./assignors/assignor.ts";
import { decodeSubscription, encodeAssignment } from "./_consumer_protocol.ts";
import type { MembershipHost } from "./_membership.ts";

/** What the leader sends in SyncGroup, and the partition counts it used. */
export interface LeaderAssignment {
  assignments: SyncGroupRequestAssignment[];
  partitionCounts: Map<string, number>;
}

/**
 * Computes the group's assignment with the assignor named `protocolName`.
 * A member whose subscription is not in the consumer protocol's encoding
 * gets nothing (reported through `host.error`); an assignor that throws or
 * returns an invalid assignment fails the rebalance with a `KafkaError`.
 */
export async function leaderAssignment(options: {
  groupId: string;
  assignors: readonly Assignor[];
  protocolName: string | null;
  members: readonly JoinGroupResponseMember[];
  rebalanceProtocol: RebalanceProtocol;
  host: MembershipHost;
  signal: AbortSignal;
}): Promise<LeaderAssignment> {
  const { host, groupId } = options;
  const assignor = options.assignors.find((a) =>
    a.name === options.protocolName
  );
  if (!assignor) {
    throw new KafkaError(
      `the coordinator chose protocol ${
        JSON.stringify(options.protocolName)
      }, which this member did not offer`,
    );
  }
  const members: AssignorSubscription[] = [];
  const unreadable: string[] = [];
  for (const m of options.members) {
    const instance = m.groupInstanceId ?? null;
    try {
      members.push(decodeSubscription(m.memberId, instance, m.metadata));
    } catch {
      unreadable.push(m.memberId);
      members.push({
        memberId: m.memberId,
        groupInstanceId: instance,
        topics: [],
        userData: null,
        ownedPartitions: [],
        generationId: -1,
        rackId: null,
      });
    }
  }
  if (unreadable.length > 0) {
    host.error(
      new KafkaError(
        `group ${JSON.stringify(groupId)}: the subscription of ${
          unreadable.join(", ")
        } is not in the consumer protocol's encoding; assigned nothing`,
      ),
    );
  }
  const topics = [...new Set(members.flatMap((m) => m.topics))];
  const md = await host.metadata(topics, options.signal);
  const input = {
    members: sortMembers(members),
    partitionsPerTopic: md.partitionsPerTopic,
    leaderOf: md.leaderOf,
    rebalanceProtocol: options.rebalanceProtocol,
  };
  let result: Map<string, TopicPartition[]>;
  try {
    result = checkAssignment(assignor.name, input, assignor.assign(input));
  } catch (e) {
    throw new KafkaError(
      `assignor ${JSON.stringify(assignor.name)} failed: ${errorText(e)}`,
      { cause: e },
    );
  }
  return {
    assignments: [...result].map(([memberId, tps]) => ({
      memberId,
      assignment: encodeAssignment(tps),
    })),
    partitionCounts: new Map(
      [...md.partitionsPerTopic].map(([t, ids]) => [t, ids.length]),
    ),
  };
}
