/**
 * The error hierarchy of denokafka.
 *
 * - {@link KafkaError}: the base of every error the library throws on
 *   purpose, with Kafka's numeric `code`, a `retriable` flag and `cause`.
 * - One class per Kafka error code (Kafka 4.4's `Errors` enum), named after
 *   the enum name ending in `Error`: `NotLeaderOrFollowerError`,
 *   `UnknownTopicOrPartitionError`, `InvalidTopicError`
 *   (`INVALID_TOPIC_EXCEPTION`), ... `err.name` is that canonical name. The
 *   names of denokafka 0.1 (`NotLeaderOrFollower`, `InvalidTopicException`,
 *   ...), pykafka's and older Kafka names (`NotLeaderForPartition`,
 *   `MessageSizeTooLarge`, `UnknownError`, ...) are aliases: the same
 *   classes, for `instanceof` and as types. `errorForCode` maps a code from a
 *   response to an instance; an unknown code gives a plain `KafkaError`
 *   carrying the number. The classes are generated (`deno task codegen`)
 *   from the table `tools/codegen/specs/errors.json`.
 * - Groupings: `InvalidMetadataError` (refresh metadata, then retry),
 *   `AuthorizationError`, `AuthenticationError`.
 * - Client-side errors: `SocketDisconnectedError`, `ConnectionTimeoutError`,
 *   `RequestTimeoutError`, `FrameTooLargeError`, `ProtocolError`,
 *   `UnsupportedFeatureError`, `AbortError`, `NoBrokersAvailableError`,
 *   `LeaderNotFoundError`, `ProducerQueueFullError`, `ProducerStoppedError`
 *   (alias `ProducerStoppedException`), `ProduceFailureError` (and its
 *   `TransactionAbortedError`),
 *   `ConsumerStoppedError` (alias `ConsumerStoppedException`),
 *   `PartitionOwnedError`, `OffsetRequestFailedError`, `CorruptRecordError`,
 *   `ZookeeperError` (a ZooKeeper request failed);
 *   `SaslAuthenticationError` and `UnsupportedVersionError` are the classes
 *   of Kafka codes 58 and 35.
 *
 * Rule for `code`: a broker error carries the code the broker sent; a
 * client-side error carries the Kafka code of the same condition when there
 * is one (RequestTimeoutError 7, SocketDisconnectedError 13,
 * CorruptRecordError 2, SaslAuthenticationError 58, UnsupportedVersionError
 * 35), else {@link NO_KAFKA_CODE} (-1).
 *
 * @example
 * ```ts
 * import {
 *   errorForCode,
 *   KafkaError,
 *   NotLeaderForPartition,
 *   NotLeaderOrFollowerError,
 * } from "./mod.ts";
 * const err = errorForCode(6, "broker 2 is not the leader of t/0");
 * console.assert(err instanceof NotLeaderOrFollowerError);
 * console.assert(err.name === "NotLeaderOrFollowerError");
 * console.assert(err instanceof NotLeaderForPartition); // pykafka's name, the same class
 * console.assert(err instanceof KafkaError && err.retriable && err.code === 6);
 * console.assert(errorForCode(31337).code === 31337);
 * ```
 *
 * @module
 */
export * from "./kafka_error.ts";
export * from "./error_groups.ts";
export * from "./broker_errors.ts";
export * from "./client_errors.ts";
export * from "./error_for_code.ts";
export * from "./zookeeper_error.ts";
