// What the two group protocols of the managed consumer (classic
// JoinGroup/SyncGroup/Heartbeat and KIP-848 ConsumerGroupHeartbeat) share:
// the channel to the group coordinator (dedicated connections per lane, the
// coordinator looked up again after it moves), the consumer side they drive
// (`MembershipHost`: revoke, lose and assign partitions, listeners,
// identity, errors), the interface the consumer drives them through, and
// the error codes that decide between "rejoin", "retry" and "give up".

import {
  AbortError,
  errorForCode,
  KafkaError,
  NO_KAFKA_CODE,
  SocketDisconnectedError,
} from "../errors/mod.ts";
import type { Broker, Cluster } from "../cluster/mod.ts";
import type { ApiMessage } from "../protocol/mod.ts";
import type { TopicPartition } from "./assignors/assignor.ts";

/** Lanes: JoinGroup/SyncGroup/LeaveGroup block for a whole rebalance, heartbeats must not wait behind them. */
export type Lane = "join" | "heartbeat";

/** A request's answer and the version it was sent at. */
export interface ChannelAnswer<Res> {
  response: Res;
  version: number;
}

/**
 * The way to the group coordinator. `build` gets the version both sides
 * speak and returns the request (or throws, e.g. a feature the version
 * lacks). Errors: the connection's (`SocketDisconnectedError`,
 * `RequestTimeoutError`, `UnsupportedVersionError`), `AbortError`.
 */
export interface GroupChannel {
  send<Req, Res>(
    api: ApiMessage<Req, Res>,
    build: (version: number) => Req,
    options: { lane: Lane; timeoutMs: number; signal?: AbortSignal },
  ): Promise<ChannelAnswer<Res>>;
  /** The coordinator moved or is gone: look it up again next time. */
  coordinatorGone(): void;
  /** Id of the coordinator in use (-1: none yet). */
  readonly coordinatorId: number;
  /** Closes the group connections. */
  close(): Promise<void>;
}

let channelSeq = 0;

/** {@linkcode GroupChannel} over a cluster's brokers (group connections per lane). */
export class ClusterGroupChannel implements GroupChannel {
  readonly #cluster: Cluster;
  readonly #groupId: string;
  readonly #id: string;
  #coordinator: Broker | undefined;
  #lookup: Promise<Broker> | undefined;
  readonly #used = new Set<Broker>();

  constructor(cluster: Cluster, groupId: string) {
    this.#cluster = cluster;
    this.#groupId = groupId;
    this.#id = `denokafka-group-${++channelSeq}-${
      crypto.randomUUID().slice(0, 8)
    }`;
  }

  get coordinatorId(): number {
    return this.#coordinator?.id ?? -1;
  }

  async #broker(signal?: AbortSignal): Promise<Broker> {
    if (this.#coordinator && !this.#coordinator.closed) {
      return this.#coordinator;
    }
    this.#lookup ??= this.#cluster.getGroupCoordinator(this.#groupId)
      .finally(() => this.#lookup = undefined);
    const lookup = this.#lookup;
    const b = await (signal ? raceAbort(lookup, signal) : lookup);
    this.#coordinator = b;
    this.#used.add(b);
    return b;
  }

  async send<Req, Res>(
    api: ApiMessage<Req, Res>,
    build: (version: number) => Req,
    options: { lane: Lane; timeoutMs: number; signal?: AbortSignal },
  ): Promise<ChannelAnswer<Res>> {
    const broker = await this.#broker(options.signal);
    const mc = broker.groupConnection(`${this.#id}/${options.lane}`);
    const conn = await mc.connection(options.signal);
    const version = conn.versions.pick(api);
    const response = await conn.send(api, build(version), {
      version,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    return { response, version };
  }

  coordinatorGone(): void {
    this.#cluster.invalidateCoordinator(this.#groupId);
    const old = this.#coordinator;
    this.#coordinator = undefined;
    if (old) {
      // Its connections may be stuck on a dead socket: new ones next time.
      for (const lane of ["join", "heartbeat"]) {
        old.closeGroupConnection(`${this.#id}/${lane}`).catch(() => {});
      }
    }
  }

  async close(): Promise<void> {
    const all = [...this.#used];
    this.#used.clear();
    this.#coordinator = undefined;
    await Promise.all(
      all.flatMap((b) =>
        ["join", "heartbeat"].map((lane) =>
          b.closeGroupConnection(`${this.#id}/${lane}`).catch(() => {})
        )
      ),
    );
  }
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(AbortError.fromSignal(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(AbortError.fromSignal(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  });
}

/** Topic metadata the leader assigns over. */
export interface GroupMetadata {
  /** Partition ids (ascending) of every existing topic asked for. */
  partitionsPerTopic: Map<string, number[]>;
  /** Leader broker id of a partition (-1: unknown). */
  leaderOf(topic: string, partition: number): number;
}

/** Options of {@linkcode MembershipHost.revoke}. */
export interface RevokeHow {
  /** Commit the consumed positions first (with `autoCommitEnable`). */
  commit: boolean;
}

/**
 * The consumer side a membership drives. Each change is awaited before the
 * next; listener errors are reported by the host (they do not fail the
 * rebalance).
 */
export interface MembershipHost {
  /** The topics this member subscribes to. */
  topics(): readonly string[];
  /** The partitions it holds now. */
  owned(): TopicPartition[];
  /**
   * Gives partitions up in an orderly way: no more delivery, the revoked
   * listener, a commit (when `how.commit` and autocommit), then release.
   */
  revoke(partitions: TopicPartition[], how: RevokeHow): Promise<void>;
  /** Drops partitions another member may own already: release at once, then the lost listener. */
  lose(partitions: TopicPartition[], why: string): Promise<void>;
  /** Takes partitions: new cursors, positioned from committed offsets. */
  assign(partitions: TopicPartition[], signal: AbortSignal): Promise<void>;
  /** A rebalance completed: the assigned listener and the post-rebalance callback. */
  rebalanced(
    assigned: TopicPartition[],
    released: TopicPartition[],
  ): Promise<void>;
  /** The identity commits carry (generation or member epoch; -1: none valid). */
  identity(memberId: string, generationId: number): void;
  /** Metadata of topics, without creating any (for the leader). */
  metadata(
    topics: readonly string[],
    signal: AbortSignal,
  ): Promise<GroupMetadata>;
  /** Partition counts known now (no I/O); topics not known are absent. */
  partitionCounts(topics: readonly string[]): Map<string, number>;
  /** Topic ids to names (KIP-848 assignments name topics by id). */
  topicNames(
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Map<string, string>>;
  /** Topic names to ids. */
  topicIds(): Map<string, string>;
  /** An error for `consume()` to raise (the membership goes on). */
  error(e: Error): void;
  /** A fatal error: the consumer stops, `consume()` raises it. */
  fatal(e: Error): void;
}

/**
 * Counters of a membership, for diagnostics and tests
 * (`consumer.membershipStats`).
 *
 * @example
 * ```ts
 * import type { MembershipStats } from "./_membership.ts";
 * // One line for a log from a consumer's counters.
 * const summary = (s: MembershipStats) =>
 *   `${s.rebalances} rebalances, ${s.heartbeatFailures} failed heartbeats, rejoins ${
 *     JSON.stringify(s.rejoins)
 *   }`;
 * console.log(summary({
 *   rebalances: 2,
 *   joins: 2,
 *   heartbeats: 40,
 *   heartbeatFailures: 0,
 *   coordinatorChanges: 0,
 *   rejoins: { RebalanceInProgressError: 1 },
 *   commitRebalanceErrors: 0,
 * }));
 * ```
 */
export interface MembershipStats {
  /** Rebalances completed (classic: SyncGroup; KIP-848: new assignments applied). */
  rebalances: number;
  /** JoinGroup (or joining heartbeat) requests sent. */
  joins: number;
  /** Heartbeats sent. */
  heartbeats: number;
  /** Heartbeats that failed (error code or request error). */
  heartbeatFailures: number;
  /** Times the coordinator had to be looked up again. */
  coordinatorChanges: number;
  /** Rejoins per cause (error name or reason). */
  rejoins: Record<string, number>;
  /**
   * Commits the coordinator refused because the group was rebalancing
   * (then retried after the rejoin, or reported).
   */
  commitRebalanceErrors: number;
}

/** A group membership (classic or KIP-848) as the consumer drives it. */
export interface Membership {
  /** The member id ("" before the first join). */
  readonly memberId: string;
  /** The generation (classic) or member epoch (KIP-848); -1 when none is valid. */
  readonly generationId: number;
  /** The protocol in use (assignor name, or the server assignor). */
  readonly protocolName: string | null;
  /** True when this member leads the group (classic). */
  readonly isLeader: boolean;
  /** Counters. */
  readonly stats: MembershipStats;
  /** Completed stable generations so far (bumped with each one). */
  readonly stableSeq: number;
  /**
   * Joins and starts heartbeating; resolves when the first assignment is
   * applied, rejects when joining fails for good (the membership stops).
   */
  start(signal: AbortSignal): Promise<void>;
  /**
   * Stops heartbeating, gives up the partitions (revoked listener) and
   * leaves the group (static members do not leave, so a restart within the
   * session timeout keeps their partitions).
   */
  stop(): Promise<void>;
  /**
   * Resolves once the member holds a valid generation newer than
   * `afterSeq` (use `stableSeq` at the time of a failed commit; -1: any).
   * Rejects after `timeoutMs`, on abort, or when the membership failed.
   */
  waitStable(
    afterSeq: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<void>;
  /** True while the member holds a valid generation. */
  readonly hasGeneration: boolean;
  /**
   * A commit made under `generationId` failed with a rebalance error:
   * rejoin as that error asks (nothing when a newer generation is already
   * being formed).
   */
  commitFailed(error: KafkaError, generationId: number): void;
}

/** Error codes. */
export const CODE = {
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  GROUP_AUTHORIZATION_FAILED: 30,
  UNSUPPORTED_VERSION: 35,
  INVALID_REQUEST: 42,
  MEMBER_ID_REQUIRED: 79,
  GROUP_MAX_SIZE_REACHED: 81,
  FENCED_INSTANCE_ID: 82,
  GROUP_ID_NOT_FOUND: 69,
  FENCED_MEMBER_EPOCH: 110,
  UNRELEASED_INSTANCE_ID: 111,
  UNSUPPORTED_ASSIGNOR: 112,
  STALE_MEMBER_EPOCH: 113,
} as const;

/** Codes after which the membership cannot go on (the consumer stops). */
export const FATAL_CODES: ReadonlySet<number> = new Set<number>([
  CODE.INCONSISTENT_GROUP_PROTOCOL,
  CODE.INVALID_GROUP_ID,
  CODE.INVALID_SESSION_TIMEOUT,
  CODE.GROUP_AUTHORIZATION_FAILED,
  CODE.UNSUPPORTED_VERSION,
  CODE.INVALID_REQUEST,
  CODE.GROUP_MAX_SIZE_REACHED,
  CODE.FENCED_INSTANCE_ID,
  CODE.UNRELEASED_INSTANCE_ID,
  CODE.UNSUPPORTED_ASSIGNOR,
]);

/** Codes that mean "the coordinator moved or is not there": look it up again. */
export const COORDINATOR_CODES: ReadonlySet<number> = new Set<number>([
  CODE.COORDINATOR_NOT_AVAILABLE,
  CODE.NOT_COORDINATOR,
]);

/** Commit errors a rejoin cures (the commit is tried again after it). */
export const REBALANCE_CODES: ReadonlySet<number> = new Set<number>([
  CODE.ILLEGAL_GENERATION,
  CODE.UNKNOWN_MEMBER_ID,
  CODE.REBALANCE_IN_PROGRESS,
  CODE.FENCED_MEMBER_EPOCH,
  CODE.STALE_MEMBER_EPOCH,
]);

/**
 * A client-side condition the membership cannot go on after (a feature the
 * coordinator's version lacks); broker errors with a code in
 * {@linkcode FATAL_CODES} are fatal too (see {@linkcode isFatal}).
 */
export class FatalMembershipError extends KafkaError {
  constructor(message: string, cause: unknown, code: number = NO_KAFKA_CODE) {
    super(message, { cause, code, retriable: false });
    this.name = "FatalMembershipError";
  }
}

/** True for errors the membership cannot go on after (the consumer stops). */
export function isFatal(e: unknown): boolean {
  return e instanceof FatalMembershipError ||
    (e instanceof KafkaError && FATAL_CODES.has(e.code));
}

/** The group's details in error messages. */
export interface GroupErrorContext {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  /** The protocols (assignors) this member offers. */
  protocols: readonly string[];
  sessionTimeoutMs: number;
}

/**
 * The error for a group response code, naming the request, group, member
 * and what the code means here (the class of the code: `FencedInstanceIdError`
 * for 82, ...).
 */
export function groupCodeError(
  code: number,
  what: string,
  c: GroupErrorContext,
): KafkaError {
  const base = errorForCode(code);
  const hint = code === CODE.FENCED_INSTANCE_ID
    ? " (another consumer joined with the same groupInstanceId)"
    : code === CODE.UNRELEASED_INSTANCE_ID
    ? " (the previous consumer with this groupInstanceId has not left yet)"
    : code === CODE.INCONSISTENT_GROUP_PROTOCOL
    ? ` (the group's members list none of this member's protocols: ${
      c.protocols.join(", ")
    })`
    : code === CODE.INVALID_SESSION_TIMEOUT
    ? ` (sessionTimeoutMs ${c.sessionTimeoutMs} is outside the broker's group.min/max.session.timeout.ms)`
    : code === CODE.UNSUPPORTED_VERSION
    ? ' (groupProtocol "consumer" needs Kafka 4.0+, or 3.7+ in KRaft mode with group.coordinator.rebalance.protocols including consumer)'
    : "";
  const message = `${what} of group ${JSON.stringify(c.groupId)} (member ${
    JSON.stringify(c.memberId)
  }${
    c.groupInstanceId === null
      ? ""
      : `, groupInstanceId ${JSON.stringify(c.groupInstanceId)}`
  }): ${base.name}: ${base.message}${hint}`;
  return errorForCode(code, message);
}

/** True for errors of the connection (the coordinator may be gone). */
export function isConnectionError(e: unknown): boolean {
  return e instanceof SocketDisconnectedError ||
    (e instanceof KafkaError && e.retriable && e.code === 7);
}

/** A waiter list: `wait(ms, signal)` resolves on `wake()`, the timeout, or abort. */
export class Wakeup {
  #waiters: (() => void)[] = [];

  wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      this.#waiters.push(done);
      signal?.addEventListener("abort", done, { once: true });
      if (Number.isFinite(ms)) timer = setTimeout(done, Math.max(0, ms));
    });
  }
}

/** What {@linkcode waitStable} reads of a membership. */
export interface StableState {
  /** The error that ended the membership for good, if any. */
  fatal(): Error | undefined;
  /** True once a valid generation (epoch) newer than the caller's is held. */
  ready(): boolean;
  /** Aborts when the membership stops. */
  stopped: AbortSignal;
  /** Woken when the state changes. */
  wake: Wakeup;
  /** Names what is awaited, for the timeout error. */
  what: string;
}

/**
 * Waits until `state.ready()`, at most `timeoutMs` (rebalanceTimeoutMs);
 * throws the fatal error, a stopped membership, `signal`'s reason, or a
 * retriable timeout naming `state.what`.
 */
export async function waitStable(
  state: StableState,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fatal = state.fatal();
    if (fatal) throw fatal;
    if (state.ready()) return;
    signal?.throwIfAborted();
    if (state.stopped.aborted) {
      throw new KafkaError("the membership stopped");
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new KafkaError(
        `no ${state.what} within ${timeoutMs} ms (rebalanceTimeoutMs)`,
        { retriable: true },
      );
    }
    await state.wake.wait(left, signal);
  }
}

/** Counts a rejoin cause. */
export function countRejoin(stats: MembershipStats, cause: string): void {
  stats.rejoins[cause] = (stats.rejoins[cause] ?? 0) + 1;
}

/** Fresh counters. */
export function newStats(): MembershipStats {
  return {
    rebalances: 0,
    joins: 0,
    heartbeats: 0,
    heartbeatFailures: 0,
    coordinatorChanges: 0,
    rejoins: {},
    commitRebalanceErrors: 0,
  };
}

/** `a` minus `b` (by topic and partition). */
export function minus(
  a: readonly TopicPartition[],
  b: readonly TopicPartition[],
): TopicPartition[] {
  const keys = new Set(b.map((tp) => `${tp.topic}\u0000${tp.partition}`));
  return a.filter((tp) => !keys.has(`${tp.topic}\u0000${tp.partition}`));
}

/** `t/0, t/1` for messages. */
export function describePartitions(ps: readonly TopicPartition[]): string {
  return ps.length === 0
    ? "none"
    : ps.map((p) => `${p.topic}/${p.partition}`).join(", ");
}
