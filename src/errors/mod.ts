/**
 * The error hierarchy of denokafka.
 *
 * - {@link KafkaError}: the base of every error the library throws on
 *   purpose, with Kafka's numeric `code`, a `retriable` flag and `cause`.
 * - One class per Kafka error code (Kafka 4.4's `Errors` enum, PascalCase:
 *   `NotLeaderOrFollower`, `UnknownTopicOrPartition`, ...), with pykafka's and
 *   older Kafka names as aliases (`NotLeaderForPartition`,
 *   `MessageSizeTooLarge`, `OffsetOutOfRangeError`, ...). `errorForCode` maps
 *   a code from a response to an instance; an unknown code gives a plain
 *   `KafkaError` carrying the number.
 * - Groupings: `InvalidMetadataError` (refresh metadata, then retry),
 *   `AuthorizationError`, `AuthenticationError`.
 * - Client-side errors: `SocketDisconnectedError`, `ConnectionTimeoutError`,
 *   `RequestTimeoutError`, `FrameTooLargeError`, `ProtocolError`,
 *   `UnsupportedFeatureError`, `AbortError`, `NoBrokersAvailableError`,
 *   `LeaderNotFoundError`, `ProducerQueueFullError`,
 *   `ProducerStoppedException`, `ProduceFailureError`,
 *   `ConsumerStoppedException`, `PartitionOwnedError`,
 *   `OffsetRequestFailedError`, `CorruptRecordError`; `SaslAuthenticationError`
 *   and `UnsupportedVersionError` are the classes of Kafka codes 58 and 35.
 *
 * Rule for `code`: a broker error carries the code the broker sent; a
 * client-side error carries the Kafka code of the same condition when there
 * is one (RequestTimeoutError 7, SocketDisconnectedError 13,
 * CorruptRecordError 2, SaslAuthenticationError 58, UnsupportedVersionError
 * 35), else {@link NO_KAFKA_CODE} (-1).
 *
 * @example
 * ```ts
 * import { errorForCode, KafkaError, NotLeaderForPartition } from "./mod.ts";
 * const err = errorForCode(6, "broker 2 is not the leader of t/0");
 * console.assert(err instanceof NotLeaderForPartition);
 * console.assert(err instanceof KafkaError && err.retriable && err.code === 6);
 * console.assert(errorForCode(31337).code === 31337);
 * ```
 *
 * @module
 */
export * from "./kafka_error.ts";
export * from "./broker_errors.ts";
export * from "./client_errors.ts";
export * from "./error_for_code.ts";
