// KIP-848's consumer group protocol (`groupProtocol: "consumer"`, Kafka
// 4.0+): one request, ConsumerGroupHeartbeat, carries the subscription and
// the partitions this member owns; the broker assigns (its `uniform` or
// `range` assignor) and answers with the member's target assignment. The
// member reconciles: it revokes what is not in the target first (revoked
// listener, commit), then takes what is new, and acknowledges with a
// heartbeat at once. The broker hands a partition to its new owner only
// after the old one acknowledged its revocation. Heartbeats run on their
// own timer (the interval the broker sets) whatever the application does;
// FENCED_MEMBER_EPOCH / UNKNOWN_MEMBER_ID lose the partitions and rejoin
// with epoch 0; the fatal errors stop the consumer.

import { errorForCode, KafkaError } from "../errors/mod.ts";
import {
  ConsumerGroupHeartbeat,
  type ConsumerGroupHeartbeatResponse,
} from "../protocol/mod.ts";
import { encodeBase64 } from "../util/base64.ts";
import { errorText } from "../util/error_text.ts";
import { SessionWatch } from "./_session_watch.ts";
import type { TopicPartition } from "./assignors/assignor.ts";
import {
  CODE,
  COORDINATOR_CODES,
  countRejoin,
  FATAL_CODES,
  type GroupChannel,
  groupCodeError,
  isFatal,
  type Membership,
  type MembershipHost,
  type MembershipStats,
  minus,
  newStats,
  waitStable as waitUntilStable,
  Wakeup,
} from "./_membership.ts";

/** Settings of a KIP-848 membership. */
export interface Kip848Settings {
  groupId: string;
  groupInstanceId: string | null;
  rebalanceTimeoutMs: number;
  /** How long this member keeps its partitions without an answer. */
  sessionTimeoutMs: number;
  /** `"uniform"`, `"range"`, or `null` for the broker's default. */
  serverAssignor: string | null;
  rebalanceMaxRetries: number;
  rebalanceBackoffMs: number;
  requestTimeoutMs: number;
}

const JOIN_EPOCH = 0;
const LEAVE_EPOCH = -1;
const STATIC_LEAVE_EPOCH = -2;

/** A new member id: a random UUID in Kafka's text form (KIP-1082). */
export function newMemberId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return encodeBase64(b).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** A member of a KIP-848 consumer group. */
export class Kip848Membership implements Membership {
  readonly #host: MembershipHost;
  readonly #channel: GroupChannel;
  readonly #s: Kip848Settings;
  readonly stats: MembershipStats = newStats();
  memberId = "";
  #epoch = JOIN_EPOCH;
  #joined = false;
  #intervalMs = 5000;
  #target: TopicPartition[] | undefined;
  #pendingIds: { topicId: string; partitions: number[] }[] | undefined;
  #reconciling: Promise<void> | undefined;
  #again = false;
  #applied = false;
  #sendNow = true;
  #stableSeq = 0;
  readonly #session: SessionWatch;
  #fenced: string | undefined;
  #abort = new AbortController();
  #loop: Promise<void> | undefined;
  readonly #wake = new Wakeup();
  readonly #stableWake = new Wakeup();
  #fatal: Error | undefined;
  #started = false;
  #first: { resolve: () => void; reject: (e: unknown) => void } | undefined;

  constructor(host: MembershipHost, channel: GroupChannel, s: Kip848Settings) {
    this.#host = host;
    this.#channel = channel;
    this.#s = s;
    this.#session = new SessionWatch(
      s.groupId,
      s.sessionTimeoutMs,
      "heartbeat",
    );
  }

  get generationId(): number {
    return this.hasGeneration ? this.#epoch : -1;
  }

  get protocolName(): string | null {
    return this.#s.serverAssignor;
  }

  get isLeader(): boolean {
    return false;
  }

  get stableSeq(): number {
    return this.#stableSeq;
  }

  get hasGeneration(): boolean {
    return this.#joined && this.#epoch > 0 && this.#fenced === undefined;
  }

  start(signal: AbortSignal): Promise<void> {
    this.memberId = "";
    this.#epoch = JOIN_EPOCH;
    this.#joined = false;
    this.#target = undefined;
    this.#pendingIds = undefined;
    this.#applied = false;
    this.#sendNow = true;
    this.#fenced = undefined;
    this.#fatal = undefined;
    this.#started = false;
    this.#abort = new AbortController();
    const first = new Promise<void>((resolve, reject) => {
      this.#first = { resolve, reject };
    });
    const onAbort = () => {
      this.#abort.abort(signal.reason);
      this.#first?.reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    this.#loop = this.#run(this.#abort.signal).catch((e) => this.#failed(e));
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
    this.#abort.abort(new KafkaError("the membership was stopped"));
    this.#wake.wake();
    this.#stableWake.wake();
    await this.#loop;
    await this.#reconciling?.catch(() => {});
    this.#first?.reject(new KafkaError("the consumer was stopped"));
    const owned = this.#host.owned();
    if (owned.length > 0) {
      if (this.hasGeneration) await this.#host.revoke(owned, { commit: false });
      else await this.#host.lose(owned, "stopped without a valid epoch");
    }
    if (this.#joined && !this.#fatal) {
      const epoch = this.#s.groupInstanceId === null
        ? LEAVE_EPOCH
        : STATIC_LEAVE_EPOCH;
      await this.#heartbeat(
        epoch,
        undefined,
        Math.min(5000, this.#s.requestTimeoutMs),
      )
        .catch(() => {});
    }
    this.#joined = false;
    this.#host.identity(this.memberId, -1);
    await this.#channel.close();
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
        what: `valid member epoch in group ${JSON.stringify(this.#s.groupId)}`,
      },
      timeoutMs,
      signal,
    );
  }

  commitFailed(error: KafkaError, generationId: number): void {
    if (generationId !== this.#epoch) return;
    if (
      error.code === CODE.FENCED_MEMBER_EPOCH ||
      error.code === CODE.UNKNOWN_MEMBER_ID
    ) {
      this.#fence(error.name);
    } else {
      // STALE_MEMBER_EPOCH, REBALANCE_IN_PROGRESS: the next heartbeat
      // brings the current epoch.
      this.#sendNow = true;
      this.#wake.wake();
    }
  }

  #fence(cause: string): void {
    if (this.#fenced !== undefined) return;
    this.#fenced = cause;
    countRejoin(this.stats, cause);
    this.#host.identity(this.memberId, -1);
    this.#sendNow = true;
    this.#wake.wake();
  }

  #codeError(code: number, what: string, message?: string | null): KafkaError {
    const e = groupCodeError(code, what, {
      groupId: this.#s.groupId,
      memberId: this.memberId,
      groupInstanceId: this.#s.groupInstanceId,
      protocols: [this.#s.serverAssignor ?? "(broker default)"],
      sessionTimeoutMs: this.#s.sessionTimeoutMs,
    });
    if (message) e.message += ` (broker: ${message})`;
    return e;
  }

  // ------------------------------------------------------------ heartbeats

  async #heartbeat(
    epoch: number,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<{ res: ConsumerGroupHeartbeatResponse; version: number }> {
    const s = this.#s;
    const joining = epoch === JOIN_EPOCH;
    const ids = this.#host.topicIds();
    const owned = new Map<string, number[]>();
    if (!joining && epoch > 0) {
      for (const tp of this.#host.owned()) {
        const id = ids.get(tp.topic);
        if (id === undefined) continue;
        let l = owned.get(id);
        if (!l) owned.set(id, l = []);
        l.push(tp.partition);
      }
    }
    const { response, version } = await this.#channel.send(
      ConsumerGroupHeartbeat,
      (v) => {
        if (joining && this.memberId === "" && v >= 1) {
          this.memberId = newMemberId();
        }
        const leaving = epoch < 0;
        return {
          groupId: s.groupId,
          memberId: this.memberId,
          memberEpoch: epoch,
          instanceId: s.groupInstanceId,
          rackId: null,
          rebalanceTimeoutMs: leaving ? -1 : s.rebalanceTimeoutMs,
          subscribedTopicNames: leaving ? null : [...this.#host.topics()],
          subscribedTopicRegex: null,
          serverAssignor: leaving ? null : s.serverAssignor,
          topicPartitions: leaving ? null : [...owned].map(([
            topicId,
            partitions,
          ]) => ({ topicId, partitions: partitions.sort((a, b) => a - b) })),
        };
      },
      { lane: "heartbeat", timeoutMs, signal },
    );
    return { res: response, version };
  }

  async #run(signal: AbortSignal): Promise<void> {
    const s = this.#s;
    let failures = 0;
    let next = 0;
    while (!signal.aborted) {
      if (!this.#sendNow) await this.#wake.wait(next - Date.now(), signal);
      if (signal.aborted) return;
      if (!this.#sendNow && Date.now() < next) continue;
      this.#sendNow = false;
      if (this.#fenced !== undefined) {
        // Release everything (lost listener) before rejoining.
        const cause = this.#fenced;
        await this.#reconciling?.catch(() => {});
        const owned = this.#host.owned();
        if (owned.length > 0) {
          await this.#host.lose(owned, cause);
          await this.#host.rebalanced([], owned);
        }
        this.#epoch = JOIN_EPOCH;
        this.#joined = false;
        this.#target = undefined;
        this.#pendingIds = undefined;
        this.#fenced = undefined;
      }
      const epoch = this.#epoch;
      if (epoch === JOIN_EPOCH) this.stats.joins++;
      this.stats.heartbeats++;
      let failure: unknown;
      let res: ConsumerGroupHeartbeatResponse | undefined;
      try {
        res = (await this.#heartbeat(
          epoch,
          signal,
          Math.min(s.requestTimeoutMs, s.sessionTimeoutMs),
        )).res;
      } catch (e) {
        if (signal.aborted) return;
        if (isFatal(e)) throw e;
        failure = e;
      }
      const code = res?.errorCode ?? -1;
      if (res && code === 0) {
        this.#session.contact();
        failures = 0;
        this.#accept(res, signal);
        next = Date.now() + this.#intervalMs;
        continue;
      }
      this.stats.heartbeatFailures++;
      if (res) this.#session.contact();
      if (
        code === CODE.FENCED_MEMBER_EPOCH || code === CODE.UNKNOWN_MEMBER_ID ||
        code === CODE.STALE_MEMBER_EPOCH
      ) {
        if (code === CODE.UNKNOWN_MEMBER_ID && !this.#joined) {
          this.memberId = "";
        }
        this.#fence(errorForCode(code).name);
        continue;
      }
      if (code > 0 && FATAL_CODES.has(code)) {
        throw this.#codeError(
          code,
          "ConsumerGroupHeartbeat",
          res?.errorMessage,
        );
      }
      failures++;
      if (failure !== undefined || COORDINATOR_CODES.has(code)) {
        this.stats.coordinatorChanges++;
        this.#channel.coordinatorGone();
      } else if (code > 0 && code !== CODE.COORDINATOR_LOAD_IN_PROGRESS) {
        this.#host.error(
          this.#codeError(code, "ConsumerGroupHeartbeat", res?.errorMessage),
        );
      }
      const why = failure ?? (code > 0 ? errorForCode(code) : undefined);
      if (!this.#started && failures >= s.rebalanceMaxRetries) {
        throw new KafkaError(
          `joining group ${
            JSON.stringify(s.groupId)
          } failed ${failures} times: ${errorText(why)}`,
          { cause: why, code: code > 0 ? code : undefined, retriable: true },
        );
      }
      this.#checkSession(why);
      next = Date.now() +
        (this.#started
          ? Math.min(this.#intervalMs, 100 * 2 ** Math.min(failures, 6))
          : Math.max(1, failures) * Math.min(s.rebalanceBackoffMs, 5000));
    }
  }

  #checkSession(failure: unknown): void {
    const error = this.#session.expired(failure, () => this.#host.owned());
    if (!error) return;
    this.#host.error(error);
    if (this.#joined) this.#fence("session expired");
  }

  /** A successful heartbeat answer: epoch, interval, new target assignment. */
  #accept(res: ConsumerGroupHeartbeatResponse, signal: AbortSignal): void {
    if (res.memberId) this.memberId = res.memberId;
    if (res.heartbeatIntervalMs > 0) this.#intervalMs = res.heartbeatIntervalMs;
    if (this.#epoch === JOIN_EPOCH && res.memberEpoch > 0) {
      // Joined: no assignment in the answer means an empty one.
      this.#target ??= [];
    }
    this.#joined = true;
    if (res.memberEpoch !== this.#epoch) {
      this.#epoch = res.memberEpoch;
      this.#host.identity(this.memberId, this.#epoch);
      this.#stableSeq++;
      this.#stableWake.wake();
    }
    if (res.assignment !== null) {
      this.#pendingIds = res.assignment.topicPartitions.map((t) => ({
        topicId: t.topicId,
        partitions: [...t.partitions],
      }));
    }
    if (this.#pendingIds !== undefined || this.#target !== undefined) {
      this.#reconcileSoon(signal);
    }
  }

  #reconcileSoon(signal: AbortSignal): void {
    if (this.#reconciling) {
      this.#again = true;
      return;
    }
    this.#reconciling = this.#reconcile(signal).catch((e) => {
      if (!signal.aborted) {
        this.#host.error(e instanceof Error ? e : new KafkaError(errorText(e)));
      }
    }).finally(() => {
      this.#reconciling = undefined;
      if (this.#again && !signal.aborted) {
        this.#again = false;
        this.#reconcileSoon(signal);
      }
    });
  }

  async #reconcile(signal: AbortSignal): Promise<void> {
    if (this.#pendingIds !== undefined) {
      const pending = this.#pendingIds;
      const names = await this.#host.topicNames(
        pending.map((t) => t.topicId),
        signal,
      );
      if (names.size < pending.length) {
        // Topic ids the metadata does not show yet: try again with the
        // next heartbeat's answer.
        return;
      }
      if (this.#pendingIds === pending) this.#pendingIds = undefined;
      this.#target = pending.flatMap((t) =>
        t.partitions.map((partition) => ({
          topic: names.get(t.topicId)!,
          partition,
        }))
      );
    }
    const target = this.#target;
    if (target === undefined || this.#fenced !== undefined) return;
    const owned = this.#host.owned();
    const revoked = minus(owned, target);
    const added = minus(target, owned);
    if (revoked.length === 0 && added.length === 0 && this.#applied) return;
    if (revoked.length > 0) await this.#host.revoke(revoked, { commit: true });
    if (signal.aborted) return;
    if (added.length > 0) await this.#host.assign(added, signal);
    await this.#host.rebalanced(added, revoked);
    this.#applied = true;
    this.stats.rebalances++;
    // Acknowledge at once: the broker hands revoked partitions over only
    // after this member reports them gone.
    this.#sendNow = true;
    this.#wake.wake();
    if (!this.#started) {
      this.#started = true;
      this.#first?.resolve();
    }
  }
}
