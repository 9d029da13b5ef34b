// Consumer group administration: ListGroups on every broker, and
// DescribeGroups / DeleteGroups at each group's coordinator. ListGroups'
// version differences are here (`LIST_GROUPS`).

import { errorForCode, KafkaError } from "../errors/mod.ts";
import {
  ConsumerProtocolAssignmentSchema,
  ConsumerProtocolSubscriptionSchema,
  decodeVersioned,
  DeleteGroups,
  ListGroups,
  type ListGroupsRequest,
  type ListGroupsResponse,
} from "../protocol/mod.ts";
import { type ApiCall, callApi } from "../cluster/_api_requests.ts";
import { validateOptions } from "../util/options.ts";
import { LIST_GROUPS_RULES, SIGNAL_ONLY_RULES } from "./_options.ts";
import type { AdminRouter } from "./_routing.ts";

/** A consumer group as ListGroups reports it. */
export interface ListedGroup {
  /** Group id. */
  groupId: string;
  /** Protocol type (`"consumer"` for consumer groups, `""` for offsets-only groups). */
  protocolType: string;
  /** State (ListGroups v4+), else `undefined`. */
  state: string | undefined;
  /** Group type, `"classic"` or `"consumer"` (ListGroups v5+), else `undefined`. */
  type: string | undefined;
  /** The broker that coordinates the group. */
  coordinatorId: number;
}

/** One member of a described group. */
export interface GroupMember {
  /** Member id. */
  memberId: string;
  /** Static member id, if any. */
  groupInstanceId: string | null;
  /** The member's client id. */
  clientId: string;
  /** The member's host. */
  clientHost: string;
  /** Raw protocol metadata. */
  metadata: Uint8Array;
  /** Raw assignment. */
  assignment: Uint8Array;
  /** For `"consumer"` groups: the subscribed topics, else `null`. */
  subscription: string[] | null;
  /** For `"consumer"` groups: the assigned partitions by topic, else `null`. */
  assignedPartitions: Map<string, number[]> | null;
}

/** A consumer group as DescribeGroups reports it. */
export interface GroupDescription {
  /** Group id. */
  groupId: string;
  /**
   * State: `"Stable"`, `"PreparingRebalance"`, `"CompletingRebalance"`,
   * `"Empty"`, or `"Dead"` (also for a group that does not exist).
   */
  state: string;
  /** Protocol type (`"consumer"`), or `""`. */
  protocolType: string;
  /** The chosen assignment protocol (`"range"`, ...), or `""`. */
  protocol: string;
  /** Members. */
  members: GroupMember[];
  /** The broker that coordinates the group. */
  coordinatorId: number;
}

/**
 * ListGroups: filtering by state needs v4 (and v4+ answers the state), v5+
 * answers the group type.
 */
const LIST_GROUPS: ApiCall<
  { states?: readonly string[] },
  ListGroupsRequest,
  ListGroupsResponse,
  ListedGroup[]
> = {
  api: ListGroups,
  request(version, { states }) {
    const request: ListGroupsRequest = {};
    if (states && states.length > 0) {
      if (version < 4) {
        throw new KafkaError(
          "filtering groups by state needs ListGroups v4 (Kafka 2.6+)",
        );
      }
      request.statesFilter = [...states];
    }
    return request;
  },
  result(version, res, _input, broker) {
    if (res.errorCode !== 0) throw errorForCode(res.errorCode);
    return res.groups.map((g) => ({
      groupId: g.groupId,
      protocolType: g.protocolType,
      state: version >= 4 ? g.groupState : undefined,
      type: version >= 5 ? g.groupType : undefined,
      coordinatorId: broker.id,
    }));
  },
};

/** `Admin.listGroups`. */
export async function listGroups(
  router: AdminRouter,
  options: { states?: readonly string[]; signal?: AbortSignal },
): Promise<ListedGroup[]> {
  validateOptions("Admin.listGroups", options, LIST_GROUPS_RULES);
  await router.cluster.ready();
  const perBroker = await router.each(
    "listGroups",
    [...router.cluster.brokers.values()],
    (broker) => `broker ${broker.id}`,
    (broker) =>
      router.run(
        { broker },
        (b) =>
          callApi(b, LIST_GROUPS, { states: options.states }, {
            signal: options.signal,
          }),
      ),
  );
  return perBroker.flat().sort((a, b) => a.groupId.localeCompare(b.groupId));
}

/** `Admin.describeGroups`. */
export async function describeGroups(
  router: AdminRouter,
  groupIds: readonly string[],
  options: { signal?: AbortSignal },
): Promise<GroupDescription[]> {
  validateOptions("Admin.describeGroups", options, SIGNAL_ONLY_RULES);
  return await router.each(
    "describeGroups",
    groupIds,
    (groupId) => groupId,
    (groupId) =>
      router.run({ coordinator: groupId }, async (broker) => {
        const res = await broker.describeGroups([groupId], options.signal);
        const g = res.groups.find((x) => x.groupId === groupId);
        if (!g) {
          throw new KafkaError(
            `broker ${broker.id} left group ${groupId} out of DescribeGroups`,
          );
        }
        if (g.errorCode === 69) { // GROUP_ID_NOT_FOUND (Kafka 4 DescribeGroups v6)
          return {
            groupId,
            state: "Dead",
            protocolType: "",
            protocol: "",
            members: [],
            coordinatorId: broker.id,
          };
        }
        if (g.errorCode !== 0) {
          throw errorForCode(g.errorCode, g.errorMessage ?? null);
        }
        const consumer = g.protocolType === "consumer";
        return {
          groupId,
          state: g.groupState,
          protocolType: g.protocolType,
          protocol: g.protocolData,
          coordinatorId: broker.id,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId ?? null,
            clientId: m.clientId,
            clientHost: m.clientHost,
            metadata: m.memberMetadata,
            assignment: m.memberAssignment,
            subscription: consumer ? subscriptionOf(m.memberMetadata) : null,
            assignedPartitions: consumer
              ? assignmentOf(m.memberAssignment)
              : null,
          })),
        };
      }, options.signal),
  );
}

/** `Admin.deleteGroups`. */
export async function deleteGroups(
  router: AdminRouter,
  groupIds: readonly string[],
  options: { signal?: AbortSignal },
): Promise<void> {
  validateOptions("Admin.deleteGroups", options, SIGNAL_ONLY_RULES);
  await router.each(
    "deleteGroups",
    groupIds,
    (groupId) => groupId,
    (groupId) =>
      router.run({ coordinator: groupId }, async (broker) => {
        const res = await broker.send(DeleteGroups, {
          groupsNames: [groupId],
        }, { signal: options.signal });
        const r = res.results.find((x) => x.groupId === groupId);
        if (r && r.errorCode !== 0) throw errorForCode(r.errorCode);
      }, options.signal),
  );
}

function subscriptionOf(bytes: Uint8Array): string[] | null {
  try {
    return decodeVersioned(ConsumerProtocolSubscriptionSchema, bytes).value
      .topics;
  } catch {
    return null;
  }
}

function assignmentOf(bytes: Uint8Array): Map<string, number[]> | null {
  if (bytes.length === 0) return new Map();
  try {
    const a = decodeVersioned(ConsumerProtocolAssignmentSchema, bytes).value;
    return new Map(a.assignedPartitions.map((p) => [p.topic, p.partitions]));
  } catch {
    return null;
  }
}
