// Client-side errors: conditions the client detects itself (pykafka's
// exceptions plus what the network layer needs). Where Kafka has an error code
// for the same condition, the class extends that code's class and carries its
// code; otherwise the code is NO_KAFKA_CODE (-1). Class names end in `Error`;
// pykafka's `*Exception` names are aliases.
import { KafkaError, NO_KAFKA_CODE } from "./kafka_error.ts";
import { AuthenticationError } from "./error_groups.ts";
import {
  CorruptMessageError,
  NetworkError,
  RequestTimedOutError,
} from "./broker_errors.ts";

/**
 * The connection to a broker failed or was dropped (pykafka's
 * `SocketDisconnectedError`). Every request in flight on a dropped connection
 * is rejected with it. Retriable; Kafka code 13 `NETWORK_EXCEPTION`: a
 * {@link NetworkError} and so an {@link InvalidMetadataError} (refresh the
 * metadata, then retry).
 *
 * @example
 * ```ts
 * import { SocketDisconnectedError } from "./mod.ts";
 * const err = new SocketDisconnectedError("127.0.0.1:9092: connection reset");
 * console.assert(err.retriable && err.code === 13);
 * ```
 */
export class SocketDisconnectedError extends NetworkError {
  /**
   * Creates the error.
   *
   * @param message which connection and what happened
   * @param options `cause` (e.g. the `Deno.errors` error)
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "The connection to the broker was lost.", options);
  }
}

/**
 * Opening a connection (TCP connect, TLS handshake or SASL authentication)
 * did not finish within the connect timeout. A {@link SocketDisconnectedError},
 * so code catching that one catches this too. Retriable, code 13.
 *
 * @example
 * ```ts
 * import { ConnectionTimeoutError, SocketDisconnectedError } from "./mod.ts";
 * const err = new ConnectionTimeoutError("connect to 10.0.0.1:9092 timed out after 3000 ms");
 * console.assert(err instanceof SocketDisconnectedError && err.retriable);
 * ```
 */
export class ConnectionTimeoutError extends SocketDisconnectedError {
  /**
   * Creates the error.
   *
   * @param message which connection and how long it waited
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "Connecting to the broker timed out.", options);
  }
}

/**
 * A request got no response within its timeout (`socketTimeoutMs`).
 * Retriable; Kafka code 7 `REQUEST_TIMED_OUT`: a {@link RequestTimedOutError},
 * the class of that code.
 *
 * @example
 * ```ts
 * import { RequestTimedOutError, RequestTimeoutError } from "./mod.ts";
 * const err = new RequestTimeoutError("Metadata v12 to broker 1: no response after 30000 ms");
 * console.assert(err instanceof RequestTimedOutError && err.retriable && err.code === 7);
 * ```
 */
export class RequestTimeoutError extends RequestTimedOutError {
  /**
   * Creates the error.
   *
   * @param message which request and how long it waited
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "The request got no response in time.", options);
  }
}

/**
 * A frame's length prefix exceeds the maximum frame size, or is negative. The
 * frame is not read (a hostile length must not allocate memory); the
 * connection is closed. Not retriable, code -1.
 *
 * @example
 * ```ts
 * import { FrameTooLargeError } from "./mod.ts";
 * const err = new FrameTooLargeError(2 ** 31 - 1, 100 * 1024 * 1024);
 * console.assert(err.size === 2 ** 31 - 1 && !err.retriable);
 * ```
 */
export class FrameTooLargeError extends KafkaError {
  /** The length the frame announced. */
  readonly size: number;
  /** The largest length accepted. */
  readonly maxSize: number;

  /**
   * Creates the error.
   *
   * @param size the length the frame announced
   * @param maxSize the largest length accepted
   * @param options `message` overrides the generated text; `cause`
   */
  constructor(
    size: number,
    maxSize: number,
    options?: ErrorOptions & { message?: string },
  ) {
    super(
      options?.message ||
        `Frame of ${size} bytes is ${
          size < 0 ? "invalid" : `larger than the maximum of ${maxSize} bytes`
        }.`,
      { cause: options?.cause, code: NO_KAFKA_CODE, retriable: false },
    );
    this.size = size;
    this.maxSize = maxSize;
  }
}

/**
 * Bytes that do not follow the Kafka protocol: a truncated message, a negative
 * or oversized length, an int64 beyond `Number.MAX_SAFE_INTEGER`, an invalid
 * varint, a response with an unknown correlation id. Every decoder throws this
 * (and only this) on malformed input. Not retriable, code -1.
 *
 * @example
 * ```ts
 * import { ProtocolError } from "./mod.ts";
 * const err = new ProtocolError("truncated: need 4 bytes at offset 10, have 2");
 * console.assert(!err.retriable && err.code === -1);
 * ```
 */
export class ProtocolError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message what was malformed and where
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "Malformed Kafka protocol data.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: false,
    });
  }
}

/**
 * Something the Deno runtime (or this client) cannot do, e.g. binding a local
 * source address or loading an encrypted private key where Deno lacks the
 * means. Not retriable, code -1.
 *
 * @example
 * ```ts
 * import { UnsupportedFeatureError } from "./mod.ts";
 * const err = new UnsupportedFeatureError("Deno cannot bind sourceAddress for TLS connections");
 * console.assert(!err.retriable);
 * ```
 */
export class UnsupportedFeatureError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message what is not supported, and what to do instead
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "This feature is not supported.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: false,
    });
  }
}

/**
 * An operation was cancelled through its `AbortSignal`. `name` is
 * `"AbortError"`, like the `DOMException` that `fetch` throws, so
 * `err.name === "AbortError"` checks work; `cause` is the signal's `reason`.
 * Not retriable, code -1.
 *
 * @example
 * ```ts
 * import { AbortError } from "./mod.ts";
 * const controller = new AbortController();
 * controller.abort();
 * const err = AbortError.fromSignal(controller.signal);
 * console.assert(err.name === "AbortError" && err.cause === controller.signal.reason);
 * ```
 */
export class AbortError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message what was aborted
   * @param options `cause`: the signal's reason
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "The operation was aborted.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: false,
    });
  }

  /**
   * The error for an aborted signal, with the signal's reason as `cause`.
   *
   * @example
   * ```ts
   * import { AbortError } from "./mod.ts";
   * const signal = AbortSignal.abort(new Error("shutting down"));
   * const err = AbortError.fromSignal(signal, "fetch aborted");
   * console.assert(err.cause === signal.reason);
   * ```
   */
  static fromSignal(signal: AbortSignal, message?: string): AbortError {
    return new AbortError(message, { cause: signal.reason });
  }
}

/**
 * None of the configured hosts answered (pykafka's `NoBrokersAvailableError`).
 * Retriable (brokers may come back), code -1.
 *
 * @example
 * ```ts
 * import { NoBrokersAvailableError } from "./mod.ts";
 * const err = new NoBrokersAvailableError("no broker of 127.0.0.1:9092 answered");
 * console.assert(err.retriable);
 * ```
 */
export class NoBrokersAvailableError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message which hosts were tried
   * @param options `cause` (e.g. the last connection error)
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "No broker is available.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: true,
    });
  }
}

/**
 * A partition has no leader in the cluster metadata (pykafka's
 * `LeaderNotFoundError`). Retriable after a metadata refresh, code -1.
 *
 * @example
 * ```ts
 * import { LeaderNotFoundError } from "./mod.ts";
 * console.assert(new LeaderNotFoundError("no leader for t/3").retriable);
 * ```
 */
export class LeaderNotFoundError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message which partition
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "The partition has no leader.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: true,
    });
  }
}

/**
 * The producer's queue is full and `blockOnQueueFull` is false (pykafka's
 * `ProducerQueueFullError`). Retriable once the queue drains, code -1.
 *
 * @example
 * ```ts
 * import { ProducerQueueFullError } from "./mod.ts";
 * console.assert(new ProducerQueueFullError().retriable);
 * ```
 */
export class ProducerQueueFullError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message how full the queue is
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "The producer queue is full.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: true,
    });
  }
}

/**
 * The producer was used after `stop()`. Not retriable, code -1. Also
 * exported as `ProducerStoppedException` (pykafka and denokafka 0.1 name):
 * the same class.
 *
 * @example
 * ```ts
 * import { ProducerStoppedError, ProducerStoppedException } from "./mod.ts";
 * const err = new ProducerStoppedError();
 * console.assert(!err.retriable && err instanceof ProducerStoppedException);
 * ```
 */
export class ProducerStoppedError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message what was attempted
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "The producer is stopped.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: false,
    });
  }
}

/** The pykafka and denokafka 0.1 name of {@link ProducerStoppedError}: the same class. */
export const ProducerStoppedException: typeof ProducerStoppedError =
  ProducerStoppedError;
/** The pykafka and denokafka 0.1 name of {@link ProducerStoppedError}: the same class. */
export type ProducerStoppedException = ProducerStoppedError;

/**
 * Delivering a message failed for good: retries were exhausted or a delivery
 * report was lost (pykafka's `ProduceFailureError`). `cause` holds the last
 * error. Not retriable, code -1.
 *
 * @example
 * ```ts
 * import { NotLeaderOrFollowerError, ProduceFailureError } from "./mod.ts";
 * const err = new ProduceFailureError("gave up after 3 retries", {
 *   cause: new NotLeaderOrFollowerError(),
 * });
 * console.assert(err.cause instanceof NotLeaderOrFollowerError);
 * ```
 */
export class ProduceFailureError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message what failed
   * @param options `cause`: the last error
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "Delivering the message failed.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: false,
    });
  }
}

/**
 * A record was not sent because its transaction was aborted
 * (`abortTransaction()`, or a failure that made the transaction abortable):
 * records still queued when a transaction ends without a commit fail with
 * it. A `ProduceFailureError`; not retriable, code -1.
 *
 * @example
 * ```ts
 * import { ProduceFailureError, TransactionAbortedError } from "./mod.ts";
 * const err = new TransactionAbortedError();
 * console.assert(err instanceof ProduceFailureError && !err.retriable);
 * ```
 */
export class TransactionAbortedError extends ProduceFailureError {
  /**
   * Creates the error.
   *
   * @param message why the transaction ended
   * @param options `cause`: the error that made it abortable, if any
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(
      message || "The transaction was aborted before the record was sent.",
      options,
    );
  }
}

/**
 * The consumer was used after `stop()`. Not retriable, code -1. Also
 * exported as `ConsumerStoppedException` (pykafka and denokafka 0.1 name):
 * the same class.
 *
 * @example
 * ```ts
 * import { ConsumerStoppedError, ConsumerStoppedException } from "./mod.ts";
 * const err = new ConsumerStoppedError();
 * console.assert(!err.retriable && err instanceof ConsumerStoppedException);
 * ```
 */
export class ConsumerStoppedError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message what was attempted
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "The consumer is stopped.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: false,
    });
  }
}

/** The pykafka and denokafka 0.1 name of {@link ConsumerStoppedError}: the same class. */
export const ConsumerStoppedException: typeof ConsumerStoppedError =
  ConsumerStoppedError;
/** The pykafka and denokafka 0.1 name of {@link ConsumerStoppedError}: the same class. */
export type ConsumerStoppedException = ConsumerStoppedError;

/**
 * During a ZooKeeper rebalance, a partition this consumer should own is still
 * owned by another consumer (pykafka's `PartitionOwnedError`, whose
 * `.partition` becomes `topic` and `partitionId` here). Retriable: the
 * rebalance tries again. Code -1.
 *
 * @example
 * ```ts
 * import { PartitionOwnedError } from "./mod.ts";
 * const err = new PartitionOwnedError("events", 3);
 * console.assert(err.topic === "events" && err.partitionId === 3 && err.retriable);
 * ```
 */
export class PartitionOwnedError extends KafkaError {
  /** The topic of the partition. */
  readonly topic: string;
  /** The partition's id. */
  readonly partitionId: number;

  /**
   * Creates the error.
   *
   * @param topic the topic of the partition
   * @param partitionId the partition's id
   * @param options `message` overrides the generated text; `cause`
   */
  constructor(
    topic: string,
    partitionId: number,
    options?: ErrorOptions & { message?: string },
  ) {
    super(
      options?.message ||
        `Partition ${topic}/${partitionId} is owned by another consumer.`,
      { cause: options?.cause, code: NO_KAFKA_CODE, retriable: true },
    );
    this.topic = topic;
    this.partitionId = partitionId;
  }
}

/**
 * Looking up offsets (ListOffsets / OffsetFetch) failed for good (pykafka's
 * `OffsetRequestFailedError`). `cause` holds the last error. Not retriable,
 * code -1.
 *
 * @example
 * ```ts
 * import { OffsetRequestFailedError } from "./mod.ts";
 * console.assert(!new OffsetRequestFailedError("3 attempts failed").retriable);
 * ```
 */
export class OffsetRequestFailedError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message what failed
   * @param options `cause`: the last error
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "The offset request failed.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: false,
    });
  }
}

/** Where a corrupt record was found: every field is optional. */
export interface CorruptRecordLocation {
  /** The topic the record came from. */
  topic?: string;
  /** The partition the record came from. */
  partition?: number;
  /** The offset of the record or of its batch. */
  offset?: number;
}

/**
 * A record (batch) read from a broker is corrupt: CRC mismatch, impossible
 * length, undecodable compression. Names where it was found. A
 * {@link CorruptMessageError} with Kafka code 2 `CORRUPT_MESSAGE`, but **not
 * retriable**: data already in the log does not change by fetching it again.
 *
 * @example
 * ```ts
 * import { CorruptMessageError, CorruptRecordError } from "./mod.ts";
 * const err = new CorruptRecordError("CRC mismatch", { topic: "t", partition: 0, offset: 42 });
 * console.assert(err instanceof CorruptMessageError && err.offset === 42 && !err.retriable);
 * console.assert(err.message === "CRC mismatch (topic t, partition 0, offset 42)");
 * ```
 */
export class CorruptRecordError extends CorruptMessageError {
  /** The topic the record came from, when known. */
  readonly topic?: string;
  /** The partition the record came from, when known. */
  readonly partition?: number;
  /** The offset of the record or of its batch, when known. */
  readonly offset?: number;
  /** Always `false`: a corrupt record in the log stays corrupt. */
  override readonly retriable: boolean = false;

  /**
   * Creates the error.
   *
   * @param message what is corrupt; the location is appended
   * @param options the location (`topic`, `partition`, `offset`) and `cause`
   */
  constructor(
    message?: string,
    options?: ErrorOptions & CorruptRecordLocation,
  ) {
    const where: string[] = [];
    if (options?.topic !== undefined) where.push(`topic ${options.topic}`);
    if (options?.partition !== undefined) {
      where.push(`partition ${options.partition}`);
    }
    if (options?.offset !== undefined) where.push(`offset ${options.offset}`);
    const text = message || "Corrupt record";
    super(
      where.length ? `${text} (${where.join(", ")})` : text,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.topic = options?.topic;
    this.partition = options?.partition;
    this.offset = options?.offset;
  }
}

/**
 * The runtime refused to open a connection for lack of a permission (Deno's
 * `--allow-net`: `Deno.errors.NotCapable`). Not retriable: the same
 * connection will be refused again until the program runs with the missing
 * permission, so it is reported at once instead of being retried as a
 * disconnect. The message names the address and the flag to add
 * (`--allow-net=host:port`, or the other permission Deno asked for, such as
 * `--allow-sys=...`); `host`, `port` and `flag` hold them. Code -1.
 *
 * @example
 * ```ts
 * import { NetworkPermissionError } from "./mod.ts";
 * const err = new NetworkPermissionError("127.0.0.1", 19292);
 * console.assert(!err.retriable && err.allowNet === "127.0.0.1:19292");
 * console.assert(err.flag === "--allow-net=127.0.0.1:19292");
 * console.assert(err.message.includes("--allow-net=127.0.0.1:19292"));
 * ```
 */
export class NetworkPermissionError extends KafkaError {
  /** The host the connection was for. */
  readonly host: string;
  /** The port the connection was for. */
  readonly port: number;
  /** The `--allow-net` entry that allows it (`host:port`, IPv6 in brackets). */
  readonly allowNet: string;
  /** The flag to add: `--allow-net=<allowNet>` unless the runtime asked for another permission. */
  readonly flag: string;

  /**
   * Creates the error.
   *
   * @param host the host the connection was for (IPv6 with or without brackets)
   * @param port the port
   * @param options `cause` (the runtime's error), `flag` when the missing
   *   permission is not `--allow-net` for this address, and an optional
   *   `message`
   */
  constructor(
    host: string,
    port: number,
    options?: ErrorOptions & { flag?: string; message?: string },
  ) {
    const bare = host.startsWith("[") ? host.slice(1, -1) : host;
    const allowNet = `${bare.includes(":") ? `[${bare}]` : bare}:${port}`;
    const flag = options?.flag ?? `--allow-net=${allowNet}`;
    const why = options?.cause instanceof Error
      ? ` (${options.cause.name}: ${options.cause.message})`
      : "";
    const hint = flag.startsWith("--allow-net=")
      ? `run with ${flag} (or add ${allowNet} to the existing --allow-net list; every broker the cluster names needs an entry)`
      : `run with ${flag}`;
    super(
      options?.message ||
        `not allowed to connect to ${allowNet}${why}: ${hint}`,
      { cause: options?.cause, code: NO_KAFKA_CODE, retriable: false },
    );
    this.host = bare;
    this.port = port;
    this.allowNet = allowNet;
    this.flag = flag;
  }

  /**
   * The `NetworkPermissionError` that `error` is or was caused by (its
   * `cause` chain), if any: code that retries on its own stops on it.
   *
   * @example
   * ```ts
   * import { KafkaError, NetworkPermissionError } from "./mod.ts";
   * const denied = new NetworkPermissionError("127.0.0.1", 9092);
   * const wrapped = new KafkaError("lookup failed", { cause: denied });
   * console.assert(NetworkPermissionError.in(wrapped) === denied);
   * ```
   *
   * @param error any thrown value
   * @returns the permission error in the chain, or `undefined`
   */
  static in(error: unknown): NetworkPermissionError | undefined {
    for (let e = error, i = 0; e !== undefined && i < 16; i++) {
      if (e instanceof NetworkPermissionError) return e;
      e = e instanceof Error ? e.cause : undefined;
    }
    return undefined;
  }
}

/**
 * The TLS handshake failed for a reason that connecting again will not
 * change: the broker's certificate is not trusted or not valid for its name,
 * the broker refused the client certificate (or its absence), or the two
 * sides share no protocol version or cipher. Kafka's Java client calls it
 * `SslAuthenticationException`. An {@link AuthenticationError}; not
 * retriable, so bootstrap and reconnects stop on it instead of reporting
 * "no brokers". Code -1. `cause` is the runtime's TLS error.
 *
 * @example
 * ```ts
 * import { AuthenticationError, SslAuthenticationError } from "./mod.ts";
 * const err = new SslAuthenticationError(
 *   "TLS handshake with 127.0.0.1:9093 failed: invalid peer certificate: UnknownIssuer",
 * );
 * console.assert(err instanceof AuthenticationError && !err.retriable);
 * ```
 */
export class SslAuthenticationError extends AuthenticationError {
  /**
   * Creates the error.
   *
   * @param message which connection and what the TLS layer said
   * @param options `cause`: the runtime's TLS error
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "The TLS handshake failed.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: false,
    });
  }
}

/**
 * The WebAssembly record codec could not get the memory an operation needs
 * (its heap cannot grow further, or an input is beyond its 2 GiB limit),
 * typically because `maxDecompressedBytes` was raised far above what the
 * process can hold. Nothing is decoded; the codec stays usable. Not
 * retriable (the same input needs the same memory), code -1.
 *
 * @example
 * ```ts
 * import { CodecMemoryError } from "./mod.ts";
 * const err = new CodecMemoryError("cannot grow the WebAssembly heap");
 * console.assert(!err.retriable && err.code === -1);
 * ```
 */
export class CodecMemoryError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message what needed how much memory
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || "The record codec ran out of memory.", {
      cause: options?.cause,
      code: NO_KAFKA_CODE,
      retriable: false,
    });
  }
}

/**
 * Decoding a record set would decompress more than what is left of a
 * `DecompressionBudget` shared by the decode calls of one fetch response.
 * Nothing was decoded and nothing taken off the budget. Retriable: the same
 * record set fits a fresh budget (fetch it again, first); when it alone is
 * larger than a whole budget (`remaining === budget`), raise the budget.
 * Code -1.
 *
 * @example
 * ```ts
 * import { DecompressionBudgetError } from "./mod.ts";
 * const err = new DecompressionBudgetError(64 * 2 ** 20, 1024);
 * console.assert(err.retriable && err.remaining === 1024);
 * ```
 */
export class DecompressionBudgetError extends KafkaError {
  /** The budget's total. */
  readonly budget: number;
  /** What was left of it when the decode call began. */
  readonly remaining: number;

  /**
   * Creates the error.
   *
   * @param budget the budget's total in bytes
   * @param remaining what was left when the call began
   * @param options `message` overrides the generated text; `cause`
   */
  constructor(
    budget: number,
    remaining: number,
    options?: ErrorOptions & { message?: string },
  ) {
    super(
      options?.message ||
        `Decompressed data exceeds what is left of the decompression budget (${remaining} of ${budget} bytes)`,
      { cause: options?.cause, code: NO_KAFKA_CODE, retriable: true },
    );
    this.budget = budget;
    this.remaining = remaining;
  }
}
