// Transactions of a transactional produce engine (internal): the producer
// id from the transaction coordinator (zombie fencing), one transaction at
// a time (begin, produce, send offsets, commit or abort), partitions added
// before their first batch (transactions v1) or implicitly by Produce v12+
// (KIP-890 transactions v2, epoch bumped by every EndTxn), retries while
// the coordinator moves, loads or completes the previous transaction.
import {
  AbortError,
  ConcurrentTransactionsError,
  CoordinatorLoadInProgressError,
  CoordinatorNotAvailableError,
  errorForCode,
  InvalidProducerEpochError,
  InvalidTxnStateError,
  KafkaError,
  NotCoordinatorError,
  OperationNotAttemptedError,
  ProduceFailureError,
  ProducerFencedError,
  TransactionAbortedError,
  TransactionalIdAuthorizationFailedError,
  UnknownTopicOrPartitionError,
} from "../errors/mod.ts";
import type { Broker, Cluster } from "../cluster/mod.ts";
import { callApi } from "../cluster/_api_requests.ts";
import { RETRY_POLICIES } from "../cluster/_retry_policies.ts";
import { isRetriable, RetrySchedule } from "../util/retry.ts";
import type { PartitionState } from "./_batch.ts";
import type { Idempotence } from "./_idempotence.ts";
import {
  ADD_OFFSETS_TO_TXN,
  ADD_PARTITIONS_TO_TXN,
  END_TXN,
  INIT_PRODUCER_ID,
  type ProducerIdAndEpoch,
  transactionsV2,
  TXN_OFFSET_COMMIT,
} from "./_producer_requests.ts";
import type {
  ConsumerGroupMetadata,
  TransactionCallOptions,
  TransactionOffset,
  TransactionState,
} from "./_transaction_args.ts";

export type {
  ConsumerGroupMetadata,
  TransactionCallOptions,
  TransactionOffset,
  TransactionState,
};

/** What the transaction manager asks of its engine. */
export interface TransactionHost {
  readonly cluster: Cluster;
  readonly idem: Idempotence;
  /** Aborted when the engine stops. */
  signal(): AbortSignal;
  /** Resolves once every batch so far is finished. */
  flush(): Promise<void>;
  /** Fails every batch not in flight (open or queued) with `err`. */
  abandonUnsent(err: Error): void;
  /** Every partition starts again at sequence 0 (a new producer epoch). */
  resetSequences(): void;
  /** No partition is in a transaction any more. */
  leaveTransaction(): void;
  requestDrain(): void;
  /** The producer is fenced or broken for good: fail everything. */
  fatal(err: Error): void;
}

/** Errors after which a transactional producer can do nothing more. */
function isFencing(e: unknown): boolean {
  return e instanceof ProducerFencedError ||
    e instanceof InvalidProducerEpochError;
}

function isFatal(e: unknown): boolean {
  return isFencing(e) || e instanceof TransactionalIdAuthorizationFailedError ||
    e instanceof InvalidTxnStateError;
}

/** A coordinator-side error worth another try (after a new lookup for some). */
function coordinatorRetriable(e: unknown): boolean {
  return isRetriable(e) || e instanceof ConcurrentTransactionsError ||
    e instanceof CoordinatorLoadInProgressError ||
    e instanceof CoordinatorNotAvailableError ||
    e instanceof NotCoordinatorError ||
    e instanceof UnknownTopicOrPartitionError ||
    e instanceof OperationNotAttemptedError;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new KafkaError(String(e));
}

/** The transaction state machine of one transactional engine. */
export class TransactionManager {
  /** The transactional id. */
  readonly id: string;
  /** The coordinator aborts a transaction open longer than this (ms). */
  readonly timeoutMs: number;
  /** Transactions v2 (KIP-890): decided when the producer id is taken. */
  v2 = false;
  #state: TransactionState = "uninitialized";
  #error: Error | undefined;
  /** When the transaction in progress began (ms since the epoch). */
  #beganAt = 0;
  /** The coordinator knows of the transaction in progress. */
  #started = false;
  /** The epoch must be bumped before the next transaction (v1). */
  #bump = false;
  readonly #toAdd = new Set<PartitionState>();
  #adding = false;
  readonly #host: TransactionHost;

  constructor(id: string, timeoutMs: number, host: TransactionHost) {
    this.id = id;
    this.timeoutMs = timeoutMs;
    this.#host = host;
  }

  /** Where the producer is. */
  get state(): TransactionState {
    return this.#state;
  }

  /** Whether the state is `s` (a call, so that no narrowing sticks). */
  #is(s: TransactionState): boolean {
    return this.#state === s;
  }

  // ------------------------------------------------------------ helpers

  #fence(e: unknown): Error {
    if (this.#state === "fatal") return this.#error!;
    const cause = asError(e);
    const open = Date.now() - this.#beganAt;
    const late = this.#beganAt > 0 && this.#state !== "ready" &&
      open > this.timeoutMs;
    const why = late
      ? `its transaction was open ${open} ms, longer than transactionTimeoutMs ${this.timeoutMs}, and the coordinator aborted it`
      : "another producer with the same transactionalId took over";
    let err: Error;
    if (isFencing(e)) {
      err = new ProducerFencedError(
        `producer ${
          JSON.stringify(this.id)
        } was fenced: ${why} (${cause.message})`,
        { cause },
      );
    } else if (late && e instanceof KafkaError) {
      err = errorForCode(e.code, `${cause.message} (${why})`);
    } else err = cause;
    this.#state = "fatal";
    this.#error = err;
    this.#host.fatal(err);
    return err;
  }

  /** Engine-side: the producer is fenced or broken for good. */
  fatal(e: unknown): Error {
    return this.#fence(e);
  }

  #schedule(o: TransactionCallOptions): RetrySchedule {
    const signals = [this.#host.signal()];
    if (o.signal !== undefined) signals.push(o.signal);
    return new RetrySchedule({
      ...RETRY_POLICIES.transactionCoordinator,
      timeoutMs: o.timeoutMs ?? this.timeoutMs,
      retriable: coordinatorRetriable,
      signal: AbortSignal.any(signals),
    });
  }

  /**
   * Runs `call` on the coordinator of `key` (`keyType` 1: this
   * transactional id; 0: a group) until it gives no error, looking the
   * coordinator up again after NOT_COORDINATOR, a lost connection or a
   * coordinator that is not available, and waiting out
   * CONCURRENT_TRANSACTIONS and coordinator loads. A fencing error makes
   * the producer fatal.
   */
  async #onCoordinator<T>(
    what: string,
    key: string,
    keyType: 0 | 1,
    o: TransactionCallOptions,
    call: (broker: Broker, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const schedule = this.#schedule(o);
    const signal = AbortSignal.any(
      o.signal ? [this.#host.signal(), o.signal] : [this.#host.signal()],
    );
    for (;;) {
      signal.throwIfAborted();
      try {
        const broker = await this.#host.cluster.getCoordinator(key, keyType, {
          signal,
          timeoutMs: Math.max(1, Math.min(30_000, schedule.remainingMs())),
        });
        return await call(broker, signal);
      } catch (e) {
        if (isFatal(e)) throw this.#fence(e);
        if (
          e instanceof NotCoordinatorError ||
          e instanceof CoordinatorNotAvailableError ||
          (isRetriable(e) && !(e instanceof ConcurrentTransactionsError) &&
            !(e instanceof CoordinatorLoadInProgressError))
        ) this.#host.cluster.invalidateCoordinator(key, keyType);
        if (e instanceof AbortError || signal.aborted) throw e;
        if (!(await schedule.pause(e))) {
          if (!coordinatorRetriable(e)) throw e;
          throw new KafkaError(
            `${what} for transactional id ${
              JSON.stringify(this.id)
            } did not succeed within ${o.timeoutMs ?? this.timeoutMs} ms: ${
              asError(e).message
            }`,
            { cause: e, code: (e as KafkaError).code, retriable: true },
          );
        }
      }
    }
  }

  // ---------------------------------------------------------------- init

  /**
   * InitProducerId at the transaction coordinator: fences older producers
   * with this transactional id (their open transaction is aborted) and
   * gives the producer id and epoch. With `current` (KIP-360, v3+), bumps
   * the epoch of that producer id instead.
   */
  async initProducerId(
    current?: ProducerIdAndEpoch,
  ): Promise<ProducerIdAndEpoch> {
    const res = await this.#onCoordinator(
      "InitProducerId",
      this.id,
      1,
      {},
      async (broker, signal) => {
        const r = await callApi(broker, INIT_PRODUCER_ID, {
          transactionalId: this.id,
          transactionTimeoutMs: this.timeoutMs,
          current,
        }, { signal });
        if (this.#state === "uninitialized") {
          this.v2 = await transactionsV2(broker, signal);
        }
        return r;
      },
    );
    if (this.#state === "uninitialized") this.#state = "ready";
    return res;
  }

  // ------------------------------------------------------- produce gate

  /** Throws unless a transaction is open for records. */
  checkProduce(): void {
    if (this.#state === "in-transaction") return;
    throw this.#stateError("produce", "in a transaction");
  }

  #stateError(what: string, needs: string): Error {
    if (this.#state === "fatal") return this.#error!;
    if (this.#state === "abortable") {
      return new ProduceFailureError(
        `cannot ${what}: the transaction failed and must be aborted (abortTransaction()): ${this.#error?.message}`,
        { cause: this.#error },
      );
    }
    const hint = this.#state === "ready"
      ? "call beginTransaction() first"
      : this.#state === "uninitialized"
      ? "the producer is not started"
      : `the transaction is ${this.#state.replace("ing", "ed")}`;
    return new InvalidTxnStateError(
      `cannot ${what} with transactional id ${
        JSON.stringify(this.id)
      }: it works only ${needs}, and the producer is ${this.#state} (${hint})`,
    );
  }

  /**
   * Whether batches of `ps` may be sent: with transactions v1 only once
   * the partition is in the transaction (it is added first).
   */
  maySend(ps: PartitionState): boolean {
    const s = this.#state;
    if (s !== "in-transaction" && s !== "committing") return false;
    if (this.v2) {
      this.#started = true;
      return true;
    }
    if (ps.inTransaction) return true;
    if (!this.#toAdd.has(ps)) {
      this.#toAdd.add(ps);
      if (!this.#adding) queueMicrotask(() => this.#addPartitions());
    }
    return false;
  }

  /**
   * A batch of the transaction failed for good: it can only be aborted, so
   * the records not sent yet fail now.
   */
  batchFailed(err: Error): void {
    const s = this.#state;
    if (s !== "in-transaction" && s !== "committing") return;
    if (this.#error !== undefined) return;
    this.#error = err;
    if (s === "in-transaction") this.#state = "abortable";
    this.#host.abandonUnsent(
      new TransactionAbortedError(
        `the transaction of ${
          JSON.stringify(this.id)
        } cannot commit: a record failed (${err.message})`,
        { cause: err },
      ),
    );
  }

  /** The producer id must be bumped after this transaction (v1). */
  bumpEpoch(): void {
    this.#bump = true;
  }

  async #addPartitions(): Promise<void> {
    if (this.#adding || this.#toAdd.size === 0) return;
    this.#adding = true;
    const parts = [...this.#toAdd];
    this.#toAdd.clear();
    try {
      const idem = this.#host.idem;
      await this.#onCoordinator(
        "AddPartitionsToTxn",
        this.id,
        1,
        {},
        async (broker, signal) => {
          const todo = parts.filter((ps) => !ps.inTransaction);
          if (todo.length === 0) return;
          const results = await callApi(broker, ADD_PARTITIONS_TO_TXN, {
            transactionalId: this.id,
            producer: { id: idem.id, epoch: idem.epoch },
            partitions: todo.map((ps) => ({
              topic: ps.topic.name,
              partition: ps.id,
            })),
          }, { signal });
          let retry: Error | undefined;
          let fail: Error | undefined;
          for (const { topic, partition, error } of results) {
            if (error === null) {
              const ps = todo.find((x) =>
                x.topic.name === topic && x.id === partition
              );
              if (ps !== undefined) ps.inTransaction = true;
              continue;
            }
            if (isFatal(error)) throw error;
            if (coordinatorRetriable(error)) retry ??= error;
            else fail ??= error;
          }
          if (fail !== undefined) throw fail;
          if (retry !== undefined) throw retry;
          this.#started = true;
        },
      );
    } catch (e) {
      const err = asError(e);
      if (this.#state !== "fatal") {
        // The partitions' batches cannot be sent: the transaction fails.
        this.batchFailed(err);
        this.#host.abandonUnsent(
          new TransactionAbortedError(
            `the partitions could not be added to the transaction: ${err.message}`,
            { cause: err },
          ),
        );
      }
    } finally {
      this.#adding = false;
      this.#host.requestDrain();
      if (this.#toAdd.size > 0) queueMicrotask(() => this.#addPartitions());
    }
  }

  // ---------------------------------------------------------------- API

  /** Opens a transaction (local: the coordinator learns of it later). */
  begin(): void {
    if (this.#state !== "ready") {
      throw this.#stateError("begin a transaction", "between transactions");
    }
    this.#state = "in-transaction";
    this.#error = undefined;
    this.#started = false;
    this.#beganAt = Date.now();
  }

  /**
   * Adds consumed offsets of a group to the transaction: they are
   * committed if and only if it commits.
   */
  async sendOffsets(
    offsets: readonly TransactionOffset[],
    group: ConsumerGroupMetadata,
    o: TransactionCallOptions,
  ): Promise<void> {
    if (this.#state !== "in-transaction") {
      throw this.#stateError("send offsets", "in a transaction");
    }
    const idem = this.#host.idem;
    try {
      if (!this.v2) {
        await this.#onCoordinator(
          "AddOffsetsToTxn",
          this.id,
          1,
          o,
          (broker, signal) =>
            callApi(broker, ADD_OFFSETS_TO_TXN, {
              transactionalId: this.id,
              producer: { id: idem.id, epoch: idem.epoch },
              groupId: group.groupId,
            }, { signal }),
        );
        this.#started = true;
      }
      await this.#onCoordinator(
        "TxnOffsetCommit",
        group.groupId,
        0,
        o,
        (broker, signal) =>
          callApi(broker, TXN_OFFSET_COMMIT, {
            transactionalId: this.id,
            producer: { id: idem.id, epoch: idem.epoch },
            v2: this.v2,
            groupId: group.groupId,
            generationId: group.generationId ?? -1,
            memberId: group.memberId ?? "",
            groupInstanceId: group.groupInstanceId ?? null,
            offsets: offsets.map((x) => ({
              topic: x.topic,
              partition: x.partition,
              offset: x.offset,
              leaderEpoch: x.leaderEpoch ?? -1,
              metadata: x.metadata ?? null,
            })),
          }, { signal }),
      );
      this.#started = true;
    } catch (e) {
      if (this.#state === "in-transaction" && !(e instanceof AbortError)) {
        this.#error ??= asError(e);
        this.#state = "abortable";
      }
      throw e;
    }
  }

  /**
   * Commits: sends every queued record, waits for every acknowledgement,
   * then EndTxn. A record that failed makes the commit fail (the
   * transaction must then be aborted).
   */
  async commit(o: TransactionCallOptions): Promise<void> {
    if (this.#state !== "in-transaction") {
      throw this.#stateError("commit", "in a transaction");
    }
    this.#state = "committing";
    try {
      await this.#host.flush();
    } catch (e) {
      this.#state = "abortable";
      this.#error ??= asError(e);
    }
    if (this.#is("fatal")) throw this.#error!;
    if (this.#error !== undefined) {
      this.#state = "abortable";
      throw new ProduceFailureError(
        `cannot commit the transaction of ${
          JSON.stringify(this.id)
        }: a record failed (${this.#error.message}); abort it`,
        { cause: this.#error },
      );
    }
    try {
      await this.#end(true, o);
    } catch (e) {
      if (this.#is("committing")) {
        this.#state = "abortable";
        this.#error ??= asError(e);
      }
      throw e;
    }
  }

  /**
   * Aborts: records not sent yet fail with `TransactionAbortedError`,
   * records in flight are waited for, then EndTxn (and a new epoch where
   * the producer id lost its sequence state).
   */
  async abort(o: TransactionCallOptions): Promise<void> {
    const s = this.#state;
    if (s !== "in-transaction" && s !== "abortable" && s !== "committing") {
      throw this.#stateError("abort", "in a transaction");
    }
    this.#state = "aborting";
    this.#host.abandonUnsent(
      new TransactionAbortedError(
        `the transaction of ${JSON.stringify(this.id)} was aborted`,
        { cause: this.#error },
      ),
    );
    try {
      await this.#host.flush();
      await this.#end(false, o);
      if (this.#bump && !this.#is("fatal")) {
        const idem = this.#host.idem;
        idem.set(await this.initProducerId({ id: idem.id, epoch: idem.epoch }));
        this.#host.resetSequences();
        this.#bump = false;
      }
    } catch (e) {
      if (this.#is("aborting")) this.#state = "abortable";
      throw e;
    }
  }

  async #end(commit: boolean, o: TransactionCallOptions): Promise<void> {
    const idem = this.#host.idem;
    if (this.#started) {
      const next = await this.#onCoordinator(
        "EndTxn",
        this.id,
        1,
        o,
        (broker, signal) =>
          callApi(broker, END_TXN, {
            transactionalId: this.id,
            producer: { id: idem.id, epoch: idem.epoch },
            committed: commit,
            v2: this.v2,
          }, { signal }),
      );
      if (this.v2 && next !== null) {
        // Transactions v2: every transaction ends with a new epoch.
        idem.set(next);
        this.#host.resetSequences();
      }
    }
    this.#toAdd.clear();
    this.#host.leaveTransaction();
    this.#state = "ready";
    this.#error = undefined;
    this.#started = false;
  }
}
