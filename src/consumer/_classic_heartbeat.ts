// The classic protocol's heartbeats: their own loop, timer and connection
// lane, independent of how slowly the application consumes and of the
// rebalance loop (which blocks in JoinGroup). Heartbeats run while the
// member is in a generation (waiting for SyncGroup, or stable): answers
// that ask for a rejoin are passed to the membership, the coordinator is
// looked up again when it moved or is unreachable, and failures are
// retried quickly within the session timeout.

import { errorForCode, type KafkaError } from "../errors/mod.ts";
import { Heartbeat } from "../protocol/mod.ts";
import {
  CODE,
  COORDINATOR_CODES,
  FATAL_CODES,
  type GroupChannel,
  isFatal,
  type MembershipStats,
  type Wakeup,
} from "./_membership.ts";

/** What the heartbeat loop needs of its membership. */
export interface HeartbeatOwner {
  readonly groupId: string;
  readonly groupInstanceId: string | null;
  readonly heartbeatIntervalMs: number;
  readonly sessionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly channel: GroupChannel;
  readonly stats: MembershipStats;
  /** Woken when the member enters a generation. */
  readonly wakeup: Wakeup;
  /** The generation to heartbeat in, or `undefined` while not in one. */
  current():
    | { generationId: number; memberId: string; stable: boolean }
    | undefined;
  /** A response arrived. */
  contact(): void;
  /** Rebalance (REBALANCE_IN_PROGRESS while stable). */
  rejoin(cause: string): void;
  /** The generation (and with `memberToo` the member id) is not valid any more. */
  reset(memberToo: boolean, cause: string): void;
  coordinatorGone(): void;
  /** After a failure: partitions are lost when the session has expired. */
  checkSession(failure: unknown): void;
  /** An error for `consume()`. */
  error(e: Error): void;
  /** The error for a response code, with the group's details. */
  codeError(code: number, what: string): KafkaError;
}

/**
 * Sends a Heartbeat every `heartbeatIntervalMs` while the member is in a
 * generation, until `signal` aborts. Throws (a fatal error) only for
 * FENCED_INSTANCE_ID and the other codes the member cannot go on after.
 */
export async function runHeartbeats(
  o: HeartbeatOwner,
  signal: AbortSignal,
): Promise<void> {
  let failures = 0;
  let next = Date.now() + o.heartbeatIntervalMs;
  while (!signal.aborted) {
    await o.wakeup.wait(next - Date.now(), signal);
    if (signal.aborted) return;
    const now = o.current();
    if (!now) {
      next = Date.now() + o.heartbeatIntervalMs;
      failures = 0;
      continue;
    }
    if (Date.now() < next) continue;
    let code = -1;
    let failure: unknown;
    o.stats.heartbeats++;
    try {
      const { response } = await o.channel.send(
        Heartbeat,
        () => ({
          groupId: o.groupId,
          generationId: now.generationId,
          memberId: now.memberId,
          groupInstanceId: o.groupInstanceId,
        }),
        {
          lane: "heartbeat",
          timeoutMs: Math.min(o.requestTimeoutMs, o.sessionTimeoutMs),
          signal,
        },
      );
      code = response.errorCode;
    } catch (e) {
      if (signal.aborted) return;
      if (isFatal(e)) throw e;
      failure = e;
    }
    const after = o.current();
    const stale = after?.generationId !== now.generationId ||
      after?.memberId !== now.memberId;
    if (code === 0 || code === CODE.REBALANCE_IN_PROGRESS) {
      o.contact();
      failures = 0;
      if (code !== 0 && !stale && after?.stable) {
        o.rejoin("RebalanceInProgress");
      }
      next = Date.now() + o.heartbeatIntervalMs;
      continue;
    }
    o.stats.heartbeatFailures++;
    if (code === CODE.ILLEGAL_GENERATION || code === CODE.UNKNOWN_MEMBER_ID) {
      o.contact();
      if (!stale) {
        const unknown = code === CODE.UNKNOWN_MEMBER_ID;
        o.reset(unknown, unknown ? "UnknownMemberId" : "IllegalGeneration");
      }
      next = Date.now() + o.heartbeatIntervalMs;
      continue;
    }
    if (code > 0 && FATAL_CODES.has(code)) throw o.codeError(code, "Heartbeat");
    // Unreachable, moved or loading: find the coordinator again and retry
    // soon, within the session.
    failures++;
    if (failure !== undefined || COORDINATOR_CODES.has(code)) {
      o.coordinatorGone();
    } else if (code > 0 && code !== CODE.COORDINATOR_LOAD_IN_PROGRESS) {
      // An error this member cannot act on: report it, keep going.
      o.error(o.codeError(code, "Heartbeat"));
    }
    o.checkSession(failure ?? (code > 0 ? errorForCode(code) : undefined));
    next = Date.now() +
      Math.min(o.heartbeatIntervalMs, 100 * 2 ** Math.min(failures, 6));
  }
}
