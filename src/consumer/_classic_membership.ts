// The classic group protocol (JoinGroup / SyncGroup / Heartbeat /
// LeaveGroup) as a state machine: a rebalance loop that joins, assigns (as
// leader) and syncs, then applies the assignment (eager: everything was
// given up before joining; cooperative: only what moved, then a second
// rebalance), and a heartbeat loop on its own connection and timer that
// runs however slowly the application consumes. Every rejoin path:
// MEMBER_ID_REQUIRED (rejoin with the given id), UNKNOWN_MEMBER_ID (reset
// the id), ILLEGAL_GENERATION (keep the id), REBALANCE_IN_PROGRESS, the
// coordinator moving or loading, a session that expired while the
// coordinator was unreachable (partitions lost, an error reported); and
// FENCED_INSTANCE_ID and the other fatal errors stop the consumer.

import { errorForCode, KafkaError } from "../errors/mod.ts";
import {
  JoinGroup,
  type JoinGroupResponse,
  SyncGroup,
  type SyncGroupRequestAssignment,
} from "../protocol/mod.ts";
import { SessionWatch } from "./_session_watch.ts";
import { errorText } from "../util/error_text.ts";
import { sleep } from "../util/retry.ts";
import type { Assignor, TopicPartition } from "./assignors/assignor.ts";
import { decodeAssignment } from "./_consumer_protocol.ts";
import {
  joinGroupBody,
  leaveGroup,
  subscriptionBytes,
} from "./_classic_requests.ts";
import { leaderAssignment } from "./_classic_leader.ts";
import { type HeartbeatOwner, runHeartbeats } from "./_classic_heartbeat.ts";
import {
  CODE,
  COORDINATOR_CODES,
  countRejoin,
  describePartitions,
  type GroupChannel,
  groupCodeError,
  isConnectionError,
  isFatal,
  type Membership,
  type MembershipHost,
  type MembershipStats,
  minus,
  newStats,
  waitStable as waitUntilStable,
  Wakeup,
} from "./_membership.ts";

/** Settings of a classic membership (the consumer's resolved options). */
export interface ClassicSettings {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
  groupInstanceId: string | null;
  assignors: readonly Assignor[];
  rebalanceMaxRetries: number;
  rebalanceBackoffMs: number;
  /** Request timeout of ordinary requests (the client's `socketTimeoutMs`). */
  requestTimeoutMs: number;
}

/** Thrown inside a rebalance when the coordinator asks for another one (not a failure). */
class Rejoin extends Error {}

const NO_MEMBER = "";

/** A classic-protocol member of one group. */
export class ClassicMembership implements Membership {
  readonly #host: MembershipHost;
  readonly #channel: GroupChannel;
  readonly #s: ClassicSettings;
  readonly stats: MembershipStats = newStats();
  readonly #cooperative: boolean;
  memberId = NO_MEMBER;
  generationId = -1;
  protocolName: string | null = null;
  #leaderId = "";
  #state: "idle" | "joining" | "syncing" | "stable" = "idle";
  #needRejoin = true;
  #rejoinReason = "joining";
  #lost: string | undefined;
  #identityValid = false;
  #stableSeq = 0;
  readonly #session: SessionWatch;
  #abort = new AbortController();
  #loops: Promise<void>[] = [];
  readonly #mainWake = new Wakeup();
  readonly #hbWake = new Wakeup();
  readonly #stableWake = new Wakeup();
  #fatal: Error | undefined;
  #started = false;
  #first: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  /** Partition counts the last assignment was made with. */
  #snapshot = new Map<string, number>();

  constructor(host: MembershipHost, channel: GroupChannel, s: ClassicSettings) {
    this.#host = host;
    this.#channel = channel;
    this.#s = s;
    this.#session = new SessionWatch(s.groupId, s.sessionTimeoutMs, "request");
    this.#cooperative = s.assignors.every((a) =>
      (a.rebalanceProtocols ?? ["eager"]).includes("cooperative")
    );
  }

  get isLeader(): boolean {
    return this.memberId !== NO_MEMBER && this.#leaderId === this.memberId;
  }

  get stableSeq(): number {
    return this.#stableSeq;
  }

  get hasGeneration(): boolean {
    return this.#identityValid && this.generationId >= 0;
  }

  /** `"eager"` or `"cooperative"` (cooperative when every assignor supports it). */
  get rebalanceProtocol(): "eager" | "cooperative" {
    return this.#cooperative ? "cooperative" : "eager";
  }

  start(signal: AbortSignal): Promise<void> {
    this.memberId = NO_MEMBER;
    this.generationId = -1;
    this.#identityValid = false;
    this.#needRejoin = true;
    this.#rejoinReason = "joining";
    this.#lost = undefined;
    this.#fatal = undefined;
    this.#started = false;
    this.#state = "idle";
    this.#abort = new AbortController();
    const inner = this.#abort.signal;
    const first = new Promise<void>((resolve, reject) => {
      this.#first = { resolve, reject };
    });
    const onAbort = () => {
      this.#abort.abort(signal.reason);
      this.#first?.reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    this.#loops = [
      this.#run(inner).catch((e) => this.#failed(e)),
      runHeartbeats(this.#heartbeatOwner(), inner).catch((e) =>
        this.#failed(e)
      ),
    ];
    return first.finally(() => signal.removeEventListener("abort", onAbort));
  }

  #failed(e: unknown): void {
    if (this.#abort.signal.aborted) return;
    const err = e instanceof Error ? e : new KafkaError(errorText(e));
    this.#fatal = err;
    this.#abort.abort(err);
    this.#stableWake.wake();
    if (!this.#started) this.#first?.reject(err);
    else this.#host.fatal(err);
  }

  async stop(): Promise<void> {
    const wasMember = this.memberId !== NO_MEMBER;
    this.#abort.abort(new KafkaError("the membership was stopped"));
    this.#mainWake.wake();
    this.#hbWake.wake();
    this.#stableWake.wake();
    await Promise.all(this.#loops);
    this.#loops = [];
    this.#first?.reject(new KafkaError("the consumer was stopped"));
    const owned = this.#host.owned();
    if (owned.length > 0) {
      if (this.hasGeneration) {
        await this.#host.revoke(owned, { commit: false });
      } else {
        await this.#host.lose(
          owned,
          "the consumer stopped without a valid generation",
        );
      }
    }
    if (wasMember && this.#s.groupInstanceId === null && !this.#fatal) {
      await this.#leave().catch(() => {});
    }
    this.#state = "idle";
    this.#identityValid = false;
    this.#host.identity(this.memberId, -1);
    await this.#channel.close();
  }

  async #leave(): Promise<void> {
    const memberId = this.memberId;
    const timeoutMs = Math.min(this.#s.requestTimeoutMs, 5000);
    const code = await leaveGroup(
      this.#channel,
      this.#s.groupId,
      memberId,
      timeoutMs,
    );
    this.memberId = NO_MEMBER;
    this.generationId = -1;
    if (code !== 0) throw errorForCode(code);
  }

  waitStable(
    afterSeq: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    return waitUntilStable(
      {
        fatal: () => this.#fatal,
        ready: () => this.hasGeneration && this.#stableSeq > afterSeq,
        stopped: this.#abort.signal,
        wake: this.#stableWake,
        what: `stable generation of group ${JSON.stringify(this.#s.groupId)}`,
      },
      timeoutMs,
      signal,
    );
  }

  commitFailed(error: KafkaError, generationId: number): void {
    // A newer generation is being formed already: nothing to do.
    if (!this.hasGeneration || generationId !== this.generationId) return;
    if (error.code === CODE.UNKNOWN_MEMBER_ID) {
      this.#reset(true, "UnknownMemberId (commit)");
    } else if (error.code === CODE.ILLEGAL_GENERATION) {
      this.#reset(false, "IllegalGeneration (commit)");
    } else if (error.code === CODE.REBALANCE_IN_PROGRESS) {
      this.#requestRejoin("RebalanceInProgress (commit)");
    }
  }

  /** The generation is no longer valid: partitions are lost, rejoin. */
  #reset(memberToo: boolean, cause: string): void {
    if (memberToo) this.memberId = NO_MEMBER;
    this.generationId = -1;
    this.#identityValid = false;
    this.#host.identity(this.memberId, -1);
    this.#lost ??= cause;
    this.#requestRejoin(cause);
  }

  #requestRejoin(cause: string): void {
    if (!this.#needRejoin) countRejoin(this.stats, cause);
    this.#needRejoin = true;
    this.#rejoinReason = cause;
    this.#mainWake.wake();
  }

  // ------------------------------------------------------------ main loop

  async #run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      if (this.#lost !== undefined) {
        const why = this.#lost;
        this.#lost = undefined;
        const owned = this.#host.owned();
        if (owned.length > 0) await this.#host.lose(owned, why);
      }
      if (!this.#needRejoin) this.#checkMetadata();
      if (!this.#needRejoin) {
        await this.#mainWake.wait(this.#s.heartbeatIntervalMs, signal);
        continue;
      }
      try {
        await this.#rebalance(signal);
        failures = 0;
        if (!this.#started) {
          this.#started = true;
          this.#first?.resolve();
        }
      } catch (e) {
        if (signal.aborted) return;
        this.#needRejoin = true;
        if (e instanceof Rejoin) continue;
        if (isFatal(e)) throw e;
        if (
          (e instanceof KafkaError && COORDINATOR_CODES.has(e.code)) ||
          isConnectionError(e)
        ) this.#coordinatorGone();
        this.#checkSession(e);
        failures++;
        if (failures >= this.#s.rebalanceMaxRetries) {
          const err = new KafkaError(
            `rebalance of group ${
              JSON.stringify(this.#s.groupId)
            } failed ${failures} time${failures === 1 ? "" : "s"}: ${
              errorText(e)
            }`,
            {
              cause: e,
              code: e instanceof KafkaError ? e.code : undefined,
              retriable: true,
            },
          );
          if (!this.#started) throw err;
          this.#host.error(err);
          failures = 0;
        }
        await sleep(
          Math.max(1, failures) * this.#s.rebalanceBackoffMs,
          signal,
        ).catch(() => {});
      }
    }
  }

  #coordinatorGone(): void {
    this.stats.coordinatorChanges++;
    this.#channel.coordinatorGone();
  }

  /** Rejoin when a subscribed topic's partition count changed since the last assignment. */
  #checkMetadata(): void {
    if (this.#snapshot.size === 0) return;
    const now = this.#host.partitionCounts([...this.#snapshot.keys()]);
    for (const [t, n] of this.#snapshot) {
      const m = now.get(t);
      if (m !== undefined && m !== n) {
        this.#requestRejoin("metadata changed");
        return;
      }
    }
  }

  async #rebalance(signal: AbortSignal): Promise<void> {
    // Prepare: a generation that is no longer valid loses its partitions;
    // eager members give up everything before joining.
    const owned = this.#host.owned();
    if (owned.length > 0) {
      if (!this.hasGeneration) {
        await this.#host.lose(
          owned,
          `the generation is no longer valid (${this.#rejoinReason})`,
        );
      } else if (!this.#cooperative) {
        await this.#host.revoke(owned, { commit: true });
      }
    }
    signal.throwIfAborted();
    this.#state = "joining";
    this.#needRejoin = false;
    const join = await this.#join(signal);
    this.#state = "syncing";
    this.#hbWake.wake();
    let assignments: SyncGroupRequestAssignment[] = [];
    if (join.leader === join.memberId && !join.skipAssignment) {
      const lead = await leaderAssignment({
        groupId: this.#s.groupId,
        assignors: this.#s.assignors,
        protocolName: join.protocolName,
        members: join.members,
        rebalanceProtocol: this.rebalanceProtocol,
        host: this.#host,
        signal,
      });
      assignments = lead.assignments;
      this.#snapshot = lead.partitionCounts;
    }
    const assigned = await this.#sync(join, assignments, signal);
    this.#state = "stable";
    this.#identityValid = true;
    this.#host.identity(this.memberId, this.generationId);
    await this.#apply(assigned, signal);
    this.stats.rebalances++;
    // Commits waiting for this generation go on once it is applied.
    this.#stableSeq++;
    this.#stableWake.wake();
  }

  #subscription(assignor: Assignor): Uint8Array {
    return subscriptionBytes(
      assignor,
      this.#host.topics(),
      this.#host.owned(),
      this.hasGeneration ? this.generationId : -1,
    );
  }

  #rebalanceRequestTimeout(): number {
    return Math.max(
      this.#s.requestTimeoutMs,
      this.#s.rebalanceTimeoutMs + 5000,
    );
  }

  async #join(signal: AbortSignal): Promise<JoinGroupResponse> {
    const s = this.#s;
    for (let round = 0;; round++) {
      const protocols = s.assignors.map((a) => ({
        name: a.name,
        metadata: this.#subscription(a),
      }));
      this.stats.joins++;
      const { response: res } = await this.#channel.send(
        JoinGroup,
        (v) =>
          joinGroupBody(v, {
            groupId: s.groupId,
            sessionTimeoutMs: s.sessionTimeoutMs,
            rebalanceTimeoutMs: s.rebalanceTimeoutMs,
            memberId: this.memberId,
            groupInstanceId: s.groupInstanceId,
            protocols,
            reason: this.#rejoinReason,
          }),
        {
          lane: "join",
          timeoutMs: this.#rebalanceRequestTimeout(),
          signal,
        },
      );
      this.#session.contact();
      const code = res.errorCode;
      if (code === 0) {
        this.memberId = res.memberId;
        this.generationId = res.generationId;
        this.protocolName = res.protocolName;
        this.#leaderId = res.leader;
        return res;
      }
      if (round >= 10) {
        throw errorForCode(
          code,
          `JoinGroup of ${JSON.stringify(s.groupId)} still failed after ${
            round + 1
          } rounds: ${errorForCode(code).message}`,
        );
      }
      if (code === CODE.MEMBER_ID_REQUIRED) {
        this.memberId = res.memberId;
        countRejoin(this.stats, "MemberIdRequired");
        continue;
      }
      if (code === CODE.UNKNOWN_MEMBER_ID) {
        this.memberId = NO_MEMBER;
        this.generationId = -1;
        countRejoin(this.stats, "UnknownMemberId");
        continue;
      }
      if (code === CODE.REBALANCE_IN_PROGRESS) {
        countRejoin(this.stats, "RebalanceInProgress");
        await sleep(100, signal);
        continue;
      }
      throw this.#codeError(code, "JoinGroup");
    }
  }

  #codeError(code: number, what: string): KafkaError {
    const s = this.#s;
    return groupCodeError(code, what, {
      groupId: s.groupId,
      memberId: this.memberId,
      groupInstanceId: s.groupInstanceId,
      protocols: s.assignors.map((a) => a.name),
      sessionTimeoutMs: s.sessionTimeoutMs,
    });
  }

  async #sync(
    join: JoinGroupResponse,
    assignments: SyncGroupRequestAssignment[],
    signal: AbortSignal,
  ): Promise<TopicPartition[]> {
    const s = this.#s;
    const { response: res, version } = await this.#channel.send(
      SyncGroup,
      () => ({
        groupId: s.groupId,
        generationId: join.generationId,
        memberId: this.memberId,
        groupInstanceId: s.groupInstanceId,
        protocolType: "consumer",
        protocolName: join.protocolName,
        assignments,
      }),
      { lane: "join", timeoutMs: this.#rebalanceRequestTimeout(), signal },
    );
    this.#session.contact();
    const code = res.errorCode;
    if (code === 0) {
      if (
        version >= 5 && res.protocolName != null &&
        res.protocolName !== join.protocolName
      ) {
        throw new KafkaError(
          `SyncGroup answered protocol ${res.protocolName}, JoinGroup chose ${join.protocolName}`,
        );
      }
      return decodeAssignment(res.assignment);
    }
    if (code === CODE.REBALANCE_IN_PROGRESS) {
      this.#requestRejoin("RebalanceInProgress (sync)");
      throw new Rejoin();
    }
    if (code === CODE.UNKNOWN_MEMBER_ID) {
      this.#reset(true, "UnknownMemberId (sync)");
      throw new Rejoin();
    }
    if (code === CODE.ILLEGAL_GENERATION) {
      this.#reset(false, "IllegalGeneration (sync)");
      throw new Rejoin();
    }
    if (COORDINATOR_CODES.has(code)) {
      this.#coordinatorGone();
      this.#requestRejoin("coordinator moved (sync)");
      throw new Rejoin();
    }
    throw this.#codeError(code, "SyncGroup");
  }

  async #apply(assigned: TopicPartition[], signal: AbortSignal): Promise<void> {
    const topics = new Set(this.#host.topics());
    const foreign = assigned.filter((tp) => !topics.has(tp.topic));
    if (foreign.length > 0) {
      this.#host.error(
        new KafkaError(
          `group ${JSON.stringify(this.#s.groupId)}: the leader assigned ${
            describePartitions(foreign)
          }, of topics this member does not subscribe to; ignored`,
        ),
      );
      assigned = assigned.filter((tp) => topics.has(tp.topic));
    }
    if (!this.isLeader) {
      this.#snapshot = this.#host.partitionCounts([...topics]);
    }
    const owned = this.#host.owned();
    const revoked = minus(owned, assigned);
    const added = minus(assigned, owned);
    if (revoked.length > 0) {
      await this.#host.revoke(revoked, { commit: true });
      // Cooperative: what this member gave up goes to its new owner in a
      // second rebalance.
      if (this.#cooperative) this.#requestRejoin("partitions revoked");
    }
    if (added.length > 0) await this.#host.assign(added, signal);
    await this.#host.rebalanced(added, revoked);
  }

  #heartbeatOwner(): HeartbeatOwner {
    const s = this.#s;
    return {
      groupId: s.groupId,
      groupInstanceId: s.groupInstanceId,
      heartbeatIntervalMs: s.heartbeatIntervalMs,
      sessionTimeoutMs: s.sessionTimeoutMs,
      requestTimeoutMs: s.requestTimeoutMs,
      channel: this.#channel,
      stats: this.stats,
      wakeup: this.#hbWake,
      current: () =>
        (this.#state === "syncing" || this.#state === "stable") &&
          this.generationId >= 0 && this.memberId !== NO_MEMBER
          ? {
            generationId: this.generationId,
            memberId: this.memberId,
            stable: this.#state === "stable",
          }
          : undefined,
      contact: () => this.#session.contact(),
      rejoin: (cause) => this.#requestRejoin(cause),
      reset: (memberToo, cause) => this.#reset(memberToo, cause),
      coordinatorGone: () => this.#coordinatorGone(),
      checkSession: (failure) => this.#checkSession(failure),
      error: (e) => this.#host.error(e),
      codeError: (code, what) => this.#codeError(code, what),
    };
  }

  /**
   * After a failed request: when nothing reached the coordinator for the
   * session timeout, it has dropped this member, so the partitions are
   * lost (another member may own them already): report it once, drop them,
   * rejoin.
   */
  #checkSession(failure: unknown): void {
    let owned: TopicPartition[] = [];
    const error = this.#session.expired(
      failure,
      () => owned = this.#host.owned(),
    );
    if (!error) return;
    this.#host.error(error);
    if (this.generationId >= 0 || owned.length > 0) {
      this.#reset(this.#s.groupInstanceId === null, "session expired");
    }
  }
}
