// Kafka's broker error codes as classes: one class per code name of Kafka
// 4.4's `Errors` enum (codes -1 and 1..136), with each code's description and
// whether Kafka's Java client treats it as retriable. Names are the
// PascalCase of the enum names; the older names used by pykafka and by earlier
// Kafka releases are exported as aliases of the same classes.
import { KafkaError, type KafkaErrorOptions } from "./kafka_error.ts";

/**
 * Base class of the broker errors that mean "the client's metadata is stale":
 * unknown topic or partition, no leader, not the leader, network errors and the
 * like. They are all retriable after a metadata refresh (Kafka's
 * `InvalidMetadataException` family).
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidMetadataError } from "./mod.ts";
 * const err = errorForCode(6); // NOT_LEADER_OR_FOLLOWER
 * if (err instanceof InvalidMetadataError) {
 *   // refresh the cluster metadata, then retry
 * }
 * ```
 */
export class InvalidMetadataError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message what went wrong
   * @param options the Kafka error code and retriable flag (default: retriable), and `cause`
   */
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(message, { retriable: true, ...options });
  }
}

/**
 * Base class of the broker errors that deny an operation to the
 * authenticated principal (ACLs): topic, group, cluster, transactional id
 * and delegation token authorization failures.
 *
 * @example
 * ```ts
 * import { AuthorizationError, errorForCode } from "./mod.ts";
 * console.assert(errorForCode(29) instanceof AuthorizationError);
 * ```
 */
export class AuthorizationError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message what went wrong
   * @param options the Kafka error code and retriable flag, and `cause`
   */
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(message, options);
  }
}

/**
 * Base class of the SASL authentication failures (unsupported mechanism,
 * illegal SASL state, wrong credentials).
 *
 * @example
 * ```ts
 * import { AuthenticationError, errorForCode } from "./mod.ts";
 * console.assert(errorForCode(58) instanceof AuthenticationError);
 * ```
 */
export class AuthenticationError extends KafkaError {
  /**
   * Creates the error.
   *
   * @param message what went wrong
   * @param options the Kafka error code and retriable flag, and `cause`
   */
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(message, options);
  }
}

/**
 * Kafka error -1 `UNKNOWN_SERVER_ERROR`: The server experienced an unexpected error when processing the request.
 *
 * Also exported as `UnknownError` (pykafka name).
 *
 * @example
 * ```ts
 * import { errorForCode, UnknownServerError } from "./mod.ts";
 * const err = errorForCode(-1);
 * console.assert(err instanceof UnknownServerError && err.code === UnknownServerError.code);
 * ```
 */
export class UnknownServerError extends KafkaError {
  /** The Kafka error code of this class: -1. */
  static readonly code: -1 = -1;
  /** Kafka's description of error -1. */
  static readonly description: string =
    "The server experienced an unexpected error when processing the request.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code -1)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnknownServerError.description, {
      cause: options?.cause,
      code: -1,
      retriable: false,
    });
  }
}

/** The pykafka name of {@link UnknownServerError} (Kafka error -1 `UNKNOWN_SERVER_ERROR`): the same class. */
export const UnknownError: typeof UnknownServerError = UnknownServerError;
/** The pykafka name of {@link UnknownServerError} (Kafka error -1 `UNKNOWN_SERVER_ERROR`): the same class. */
export type UnknownError = UnknownServerError;

/**
 * Kafka error 1 `OFFSET_OUT_OF_RANGE`: The requested offset is not within the range of offsets maintained by the server.
 *
 * Also exported as `OffsetOutOfRangeError` (pykafka name).
 *
 * @example
 * ```ts
 * import { errorForCode, OffsetOutOfRange } from "./mod.ts";
 * const err = errorForCode(1);
 * console.assert(err instanceof OffsetOutOfRange && err.code === OffsetOutOfRange.code);
 * ```
 */
export class OffsetOutOfRange extends KafkaError {
  /** The Kafka error code of this class: 1. */
  static readonly code: 1 = 1;
  /** Kafka's description of error 1. */
  static readonly description: string =
    "The requested offset is not within the range of offsets maintained by the server.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 1)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || OffsetOutOfRange.description, {
      cause: options?.cause,
      code: 1,
      retriable: false,
    });
  }
}

/** The pykafka name of {@link OffsetOutOfRange} (Kafka error 1 `OFFSET_OUT_OF_RANGE`): the same class. */
export const OffsetOutOfRangeError: typeof OffsetOutOfRange = OffsetOutOfRange;
/** The pykafka name of {@link OffsetOutOfRange} (Kafka error 1 `OFFSET_OUT_OF_RANGE`): the same class. */
export type OffsetOutOfRangeError = OffsetOutOfRange;

/**
 * Kafka error 2 `CORRUPT_MESSAGE` (retriable): This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt.
 *
 * Also exported as `InvalidMessageError` (pykafka name).
 *
 * @example
 * ```ts
 * import { errorForCode, CorruptMessage } from "./mod.ts";
 * const err = errorForCode(2);
 * console.assert(err instanceof CorruptMessage && err.code === CorruptMessage.code);
 * ```
 */
export class CorruptMessage extends KafkaError {
  /** The Kafka error code of this class: 2. */
  static readonly code: 2 = 2;
  /** Kafka's description of error 2. */
  static readonly description: string =
    "This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 2)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || CorruptMessage.description, {
      cause: options?.cause,
      code: 2,
      retriable: true,
    });
  }
}

/** The pykafka name of {@link CorruptMessage} (Kafka error 2 `CORRUPT_MESSAGE`): the same class. */
export const InvalidMessageError: typeof CorruptMessage = CorruptMessage;
/** The pykafka name of {@link CorruptMessage} (Kafka error 2 `CORRUPT_MESSAGE`): the same class. */
export type InvalidMessageError = CorruptMessage;

/**
 * Kafka error 3 `UNKNOWN_TOPIC_OR_PARTITION` (retriable): This server does not host this topic-partition.
 *
 * @example
 * ```ts
 * import { errorForCode, UnknownTopicOrPartition } from "./mod.ts";
 * const err = errorForCode(3);
 * console.assert(err instanceof UnknownTopicOrPartition && err.code === UnknownTopicOrPartition.code);
 * ```
 */
export class UnknownTopicOrPartition extends InvalidMetadataError {
  /** The Kafka error code of this class: 3. */
  static readonly code: 3 = 3;
  /** Kafka's description of error 3. */
  static readonly description: string =
    "This server does not host this topic-partition.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 3)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnknownTopicOrPartition.description, {
      cause: options?.cause,
      code: 3,
      retriable: true,
    });
  }
}

/**
 * Kafka error 4 `INVALID_FETCH_SIZE`: The requested fetch size is invalid.
 *
 * Also exported as `InvalidMessageSize` (pykafka name).
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidFetchSize } from "./mod.ts";
 * const err = errorForCode(4);
 * console.assert(err instanceof InvalidFetchSize && err.code === InvalidFetchSize.code);
 * ```
 */
export class InvalidFetchSize extends KafkaError {
  /** The Kafka error code of this class: 4. */
  static readonly code: 4 = 4;
  /** Kafka's description of error 4. */
  static readonly description: string = "The requested fetch size is invalid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 4)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidFetchSize.description, {
      cause: options?.cause,
      code: 4,
      retriable: false,
    });
  }
}

/** The pykafka name of {@link InvalidFetchSize} (Kafka error 4 `INVALID_FETCH_SIZE`): the same class. */
export const InvalidMessageSize: typeof InvalidFetchSize = InvalidFetchSize;
/** The pykafka name of {@link InvalidFetchSize} (Kafka error 4 `INVALID_FETCH_SIZE`): the same class. */
export type InvalidMessageSize = InvalidFetchSize;

/**
 * Kafka error 5 `LEADER_NOT_AVAILABLE` (retriable): There is no leader for this topic-partition as we are in the middle of a leadership election.
 *
 * @example
 * ```ts
 * import { errorForCode, LeaderNotAvailable } from "./mod.ts";
 * const err = errorForCode(5);
 * console.assert(err instanceof LeaderNotAvailable && err.code === LeaderNotAvailable.code);
 * ```
 */
export class LeaderNotAvailable extends InvalidMetadataError {
  /** The Kafka error code of this class: 5. */
  static readonly code: 5 = 5;
  /** Kafka's description of error 5. */
  static readonly description: string =
    "There is no leader for this topic-partition as we are in the middle of a leadership election.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 5)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || LeaderNotAvailable.description, {
      cause: options?.cause,
      code: 5,
      retriable: true,
    });
  }
}

/**
 * Kafka error 6 `NOT_LEADER_OR_FOLLOWER` (retriable): For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.
 *
 * Also exported as `NotLeaderForPartition` (pykafka and Kafka before 2.7 name).
 *
 * @example
 * ```ts
 * import { errorForCode, NotLeaderOrFollower } from "./mod.ts";
 * const err = errorForCode(6);
 * console.assert(err instanceof NotLeaderOrFollower && err.code === NotLeaderOrFollower.code);
 * ```
 */
export class NotLeaderOrFollower extends InvalidMetadataError {
  /** The Kafka error code of this class: 6. */
  static readonly code: 6 = 6;
  /** Kafka's description of error 6. */
  static readonly description: string =
    "For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 6)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || NotLeaderOrFollower.description, {
      cause: options?.cause,
      code: 6,
      retriable: true,
    });
  }
}

/** The pykafka and Kafka before 2.7 name of {@link NotLeaderOrFollower} (Kafka error 6 `NOT_LEADER_OR_FOLLOWER`): the same class. */
export const NotLeaderForPartition: typeof NotLeaderOrFollower =
  NotLeaderOrFollower;
/** The pykafka and Kafka before 2.7 name of {@link NotLeaderOrFollower} (Kafka error 6 `NOT_LEADER_OR_FOLLOWER`): the same class. */
export type NotLeaderForPartition = NotLeaderOrFollower;

/**
 * Kafka error 7 `REQUEST_TIMED_OUT` (retriable): The request timed out.
 *
 * @example
 * ```ts
 * import { errorForCode, RequestTimedOut } from "./mod.ts";
 * const err = errorForCode(7);
 * console.assert(err instanceof RequestTimedOut && err.code === RequestTimedOut.code);
 * ```
 */
export class RequestTimedOut extends KafkaError {
  /** The Kafka error code of this class: 7. */
  static readonly code: 7 = 7;
  /** Kafka's description of error 7. */
  static readonly description: string = "The request timed out.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 7)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || RequestTimedOut.description, {
      cause: options?.cause,
      code: 7,
      retriable: true,
    });
  }
}

/**
 * Kafka error 8 `BROKER_NOT_AVAILABLE`: The broker is not available.
 *
 * @example
 * ```ts
 * import { errorForCode, BrokerNotAvailable } from "./mod.ts";
 * const err = errorForCode(8);
 * console.assert(err instanceof BrokerNotAvailable && err.code === BrokerNotAvailable.code);
 * ```
 */
export class BrokerNotAvailable extends KafkaError {
  /** The Kafka error code of this class: 8. */
  static readonly code: 8 = 8;
  /** Kafka's description of error 8. */
  static readonly description: string = "The broker is not available.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 8)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || BrokerNotAvailable.description, {
      cause: options?.cause,
      code: 8,
      retriable: false,
    });
  }
}

/**
 * Kafka error 9 `REPLICA_NOT_AVAILABLE` (retriable): The replica is not available for the requested topic-partition. Produce/Fetch requests and other requests intended only for the leader or follower return NOT_LEADER_OR_FOLLOWER if the broker is not a replica of the topic-partition.
 *
 * @example
 * ```ts
 * import { errorForCode, ReplicaNotAvailable } from "./mod.ts";
 * const err = errorForCode(9);
 * console.assert(err instanceof ReplicaNotAvailable && err.code === ReplicaNotAvailable.code);
 * ```
 */
export class ReplicaNotAvailable extends InvalidMetadataError {
  /** The Kafka error code of this class: 9. */
  static readonly code: 9 = 9;
  /** Kafka's description of error 9. */
  static readonly description: string =
    "The replica is not available for the requested topic-partition. Produce/Fetch requests and other requests intended only for the leader or follower return NOT_LEADER_OR_FOLLOWER if the broker is not a replica of the topic-partition.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 9)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ReplicaNotAvailable.description, {
      cause: options?.cause,
      code: 9,
      retriable: true,
    });
  }
}

/**
 * Kafka error 10 `MESSAGE_TOO_LARGE`: The request included a message larger than the max message size the server will accept.
 *
 * Also exported as `MessageSizeTooLarge` (pykafka name).
 *
 * @example
 * ```ts
 * import { errorForCode, MessageTooLarge } from "./mod.ts";
 * const err = errorForCode(10);
 * console.assert(err instanceof MessageTooLarge && err.code === MessageTooLarge.code);
 * ```
 */
export class MessageTooLarge extends KafkaError {
  /** The Kafka error code of this class: 10. */
  static readonly code: 10 = 10;
  /** Kafka's description of error 10. */
  static readonly description: string =
    "The request included a message larger than the max message size the server will accept.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 10)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || MessageTooLarge.description, {
      cause: options?.cause,
      code: 10,
      retriable: false,
    });
  }
}

/** The pykafka name of {@link MessageTooLarge} (Kafka error 10 `MESSAGE_TOO_LARGE`): the same class. */
export const MessageSizeTooLarge: typeof MessageTooLarge = MessageTooLarge;
/** The pykafka name of {@link MessageTooLarge} (Kafka error 10 `MESSAGE_TOO_LARGE`): the same class. */
export type MessageSizeTooLarge = MessageTooLarge;

/**
 * Kafka error 11 `STALE_CONTROLLER_EPOCH`: The controller moved to another broker.
 *
 * @example
 * ```ts
 * import { errorForCode, StaleControllerEpoch } from "./mod.ts";
 * const err = errorForCode(11);
 * console.assert(err instanceof StaleControllerEpoch && err.code === StaleControllerEpoch.code);
 * ```
 */
export class StaleControllerEpoch extends KafkaError {
  /** The Kafka error code of this class: 11. */
  static readonly code: 11 = 11;
  /** Kafka's description of error 11. */
  static readonly description: string =
    "The controller moved to another broker.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 11)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || StaleControllerEpoch.description, {
      cause: options?.cause,
      code: 11,
      retriable: false,
    });
  }
}

/**
 * Kafka error 12 `OFFSET_METADATA_TOO_LARGE`: The metadata field of the offset request was too large.
 *
 * @example
 * ```ts
 * import { errorForCode, OffsetMetadataTooLarge } from "./mod.ts";
 * const err = errorForCode(12);
 * console.assert(err instanceof OffsetMetadataTooLarge && err.code === OffsetMetadataTooLarge.code);
 * ```
 */
export class OffsetMetadataTooLarge extends KafkaError {
  /** The Kafka error code of this class: 12. */
  static readonly code: 12 = 12;
  /** Kafka's description of error 12. */
  static readonly description: string =
    "The metadata field of the offset request was too large.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 12)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || OffsetMetadataTooLarge.description, {
      cause: options?.cause,
      code: 12,
      retriable: false,
    });
  }
}

/**
 * Kafka error 13 `NETWORK_EXCEPTION` (retriable): The server disconnected before a response was received.
 *
 * @example
 * ```ts
 * import { errorForCode, NetworkException } from "./mod.ts";
 * const err = errorForCode(13);
 * console.assert(err instanceof NetworkException && err.code === NetworkException.code);
 * ```
 */
export class NetworkException extends InvalidMetadataError {
  /** The Kafka error code of this class: 13. */
  static readonly code: 13 = 13;
  /** Kafka's description of error 13. */
  static readonly description: string =
    "The server disconnected before a response was received.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 13)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || NetworkException.description, {
      cause: options?.cause,
      code: 13,
      retriable: true,
    });
  }
}

/**
 * Kafka error 14 `COORDINATOR_LOAD_IN_PROGRESS` (retriable): The coordinator is loading and hence can't process requests.
 *
 * Also exported as `GroupLoadInProgress` (pykafka and Kafka 0.9/0.10 name).
 *
 * @example
 * ```ts
 * import { errorForCode, CoordinatorLoadInProgress } from "./mod.ts";
 * const err = errorForCode(14);
 * console.assert(err instanceof CoordinatorLoadInProgress && err.code === CoordinatorLoadInProgress.code);
 * ```
 */
export class CoordinatorLoadInProgress extends KafkaError {
  /** The Kafka error code of this class: 14. */
  static readonly code: 14 = 14;
  /** Kafka's description of error 14. */
  static readonly description: string =
    "The coordinator is loading and hence can't process requests.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 14)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || CoordinatorLoadInProgress.description, {
      cause: options?.cause,
      code: 14,
      retriable: true,
    });
  }
}

/** The pykafka and Kafka 0.9/0.10 name of {@link CoordinatorLoadInProgress} (Kafka error 14 `COORDINATOR_LOAD_IN_PROGRESS`): the same class. */
export const GroupLoadInProgress: typeof CoordinatorLoadInProgress =
  CoordinatorLoadInProgress;
/** The pykafka and Kafka 0.9/0.10 name of {@link CoordinatorLoadInProgress} (Kafka error 14 `COORDINATOR_LOAD_IN_PROGRESS`): the same class. */
export type GroupLoadInProgress = CoordinatorLoadInProgress;

/**
 * Kafka error 15 `COORDINATOR_NOT_AVAILABLE` (retriable): The coordinator is not available.
 *
 * Also exported as `GroupCoordinatorNotAvailable` (pykafka and Kafka 0.9/0.10 name).
 *
 * @example
 * ```ts
 * import { errorForCode, CoordinatorNotAvailable } from "./mod.ts";
 * const err = errorForCode(15);
 * console.assert(err instanceof CoordinatorNotAvailable && err.code === CoordinatorNotAvailable.code);
 * ```
 */
export class CoordinatorNotAvailable extends KafkaError {
  /** The Kafka error code of this class: 15. */
  static readonly code: 15 = 15;
  /** Kafka's description of error 15. */
  static readonly description: string = "The coordinator is not available.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 15)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || CoordinatorNotAvailable.description, {
      cause: options?.cause,
      code: 15,
      retriable: true,
    });
  }
}

/** The pykafka and Kafka 0.9/0.10 name of {@link CoordinatorNotAvailable} (Kafka error 15 `COORDINATOR_NOT_AVAILABLE`): the same class. */
export const GroupCoordinatorNotAvailable: typeof CoordinatorNotAvailable =
  CoordinatorNotAvailable;
/** The pykafka and Kafka 0.9/0.10 name of {@link CoordinatorNotAvailable} (Kafka error 15 `COORDINATOR_NOT_AVAILABLE`): the same class. */
export type GroupCoordinatorNotAvailable = CoordinatorNotAvailable;

/**
 * Kafka error 16 `NOT_COORDINATOR` (retriable): This is not the correct coordinator.
 *
 * Also exported as `NotCoordinatorForGroup` (pykafka and Kafka 0.9/0.10 name).
 *
 * @example
 * ```ts
 * import { errorForCode, NotCoordinator } from "./mod.ts";
 * const err = errorForCode(16);
 * console.assert(err instanceof NotCoordinator && err.code === NotCoordinator.code);
 * ```
 */
export class NotCoordinator extends KafkaError {
  /** The Kafka error code of this class: 16. */
  static readonly code: 16 = 16;
  /** Kafka's description of error 16. */
  static readonly description: string = "This is not the correct coordinator.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 16)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || NotCoordinator.description, {
      cause: options?.cause,
      code: 16,
      retriable: true,
    });
  }
}

/** The pykafka and Kafka 0.9/0.10 name of {@link NotCoordinator} (Kafka error 16 `NOT_COORDINATOR`): the same class. */
export const NotCoordinatorForGroup: typeof NotCoordinator = NotCoordinator;
/** The pykafka and Kafka 0.9/0.10 name of {@link NotCoordinator} (Kafka error 16 `NOT_COORDINATOR`): the same class. */
export type NotCoordinatorForGroup = NotCoordinator;

/**
 * Kafka error 17 `INVALID_TOPIC_EXCEPTION`: The request attempted to perform an operation on an invalid topic.
 *
 * Also exported as `InvalidTopic` (pykafka name).
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidTopicException } from "./mod.ts";
 * const err = errorForCode(17);
 * console.assert(err instanceof InvalidTopicException && err.code === InvalidTopicException.code);
 * ```
 */
export class InvalidTopicException extends KafkaError {
  /** The Kafka error code of this class: 17. */
  static readonly code: 17 = 17;
  /** Kafka's description of error 17. */
  static readonly description: string =
    "The request attempted to perform an operation on an invalid topic.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 17)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidTopicException.description, {
      cause: options?.cause,
      code: 17,
      retriable: false,
    });
  }
}

/** The pykafka name of {@link InvalidTopicException} (Kafka error 17 `INVALID_TOPIC_EXCEPTION`): the same class. */
export const InvalidTopic: typeof InvalidTopicException = InvalidTopicException;
/** The pykafka name of {@link InvalidTopicException} (Kafka error 17 `INVALID_TOPIC_EXCEPTION`): the same class. */
export type InvalidTopic = InvalidTopicException;

/**
 * Kafka error 18 `RECORD_LIST_TOO_LARGE`: The request included message batch larger than the configured segment size on the server.
 *
 * @example
 * ```ts
 * import { errorForCode, RecordListTooLarge } from "./mod.ts";
 * const err = errorForCode(18);
 * console.assert(err instanceof RecordListTooLarge && err.code === RecordListTooLarge.code);
 * ```
 */
export class RecordListTooLarge extends KafkaError {
  /** The Kafka error code of this class: 18. */
  static readonly code: 18 = 18;
  /** Kafka's description of error 18. */
  static readonly description: string =
    "The request included message batch larger than the configured segment size on the server.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 18)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || RecordListTooLarge.description, {
      cause: options?.cause,
      code: 18,
      retriable: false,
    });
  }
}

/**
 * Kafka error 19 `NOT_ENOUGH_REPLICAS` (retriable): Messages are rejected since there are fewer in-sync replicas than required.
 *
 * @example
 * ```ts
 * import { errorForCode, NotEnoughReplicas } from "./mod.ts";
 * const err = errorForCode(19);
 * console.assert(err instanceof NotEnoughReplicas && err.code === NotEnoughReplicas.code);
 * ```
 */
export class NotEnoughReplicas extends KafkaError {
  /** The Kafka error code of this class: 19. */
  static readonly code: 19 = 19;
  /** Kafka's description of error 19. */
  static readonly description: string =
    "Messages are rejected since there are fewer in-sync replicas than required.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 19)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || NotEnoughReplicas.description, {
      cause: options?.cause,
      code: 19,
      retriable: true,
    });
  }
}

/**
 * Kafka error 20 `NOT_ENOUGH_REPLICAS_AFTER_APPEND` (retriable): Messages are written to the log, but to fewer in-sync replicas than required.
 *
 * @example
 * ```ts
 * import { errorForCode, NotEnoughReplicasAfterAppend } from "./mod.ts";
 * const err = errorForCode(20);
 * console.assert(err instanceof NotEnoughReplicasAfterAppend && err.code === NotEnoughReplicasAfterAppend.code);
 * ```
 */
export class NotEnoughReplicasAfterAppend extends KafkaError {
  /** The Kafka error code of this class: 20. */
  static readonly code: 20 = 20;
  /** Kafka's description of error 20. */
  static readonly description: string =
    "Messages are written to the log, but to fewer in-sync replicas than required.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 20)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || NotEnoughReplicasAfterAppend.description, {
      cause: options?.cause,
      code: 20,
      retriable: true,
    });
  }
}

/**
 * Kafka error 21 `INVALID_REQUIRED_ACKS`: Produce request specified an invalid value for required acks.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidRequiredAcks } from "./mod.ts";
 * const err = errorForCode(21);
 * console.assert(err instanceof InvalidRequiredAcks && err.code === InvalidRequiredAcks.code);
 * ```
 */
export class InvalidRequiredAcks extends KafkaError {
  /** The Kafka error code of this class: 21. */
  static readonly code: 21 = 21;
  /** Kafka's description of error 21. */
  static readonly description: string =
    "Produce request specified an invalid value for required acks.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 21)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidRequiredAcks.description, {
      cause: options?.cause,
      code: 21,
      retriable: false,
    });
  }
}

/**
 * Kafka error 22 `ILLEGAL_GENERATION`: Specified group generation id is not valid.
 *
 * @example
 * ```ts
 * import { errorForCode, IllegalGeneration } from "./mod.ts";
 * const err = errorForCode(22);
 * console.assert(err instanceof IllegalGeneration && err.code === IllegalGeneration.code);
 * ```
 */
export class IllegalGeneration extends KafkaError {
  /** The Kafka error code of this class: 22. */
  static readonly code: 22 = 22;
  /** Kafka's description of error 22. */
  static readonly description: string =
    "Specified group generation id is not valid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 22)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || IllegalGeneration.description, {
      cause: options?.cause,
      code: 22,
      retriable: false,
    });
  }
}

/**
 * Kafka error 23 `INCONSISTENT_GROUP_PROTOCOL`: The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.
 *
 * @example
 * ```ts
 * import { errorForCode, InconsistentGroupProtocol } from "./mod.ts";
 * const err = errorForCode(23);
 * console.assert(err instanceof InconsistentGroupProtocol && err.code === InconsistentGroupProtocol.code);
 * ```
 */
export class InconsistentGroupProtocol extends KafkaError {
  /** The Kafka error code of this class: 23. */
  static readonly code: 23 = 23;
  /** Kafka's description of error 23. */
  static readonly description: string =
    "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 23)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InconsistentGroupProtocol.description, {
      cause: options?.cause,
      code: 23,
      retriable: false,
    });
  }
}

/**
 * Kafka error 24 `INVALID_GROUP_ID`: The group id is invalid.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidGroupId } from "./mod.ts";
 * const err = errorForCode(24);
 * console.assert(err instanceof InvalidGroupId && err.code === InvalidGroupId.code);
 * ```
 */
export class InvalidGroupId extends KafkaError {
  /** The Kafka error code of this class: 24. */
  static readonly code: 24 = 24;
  /** Kafka's description of error 24. */
  static readonly description: string = "The group id is invalid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 24)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidGroupId.description, {
      cause: options?.cause,
      code: 24,
      retriable: false,
    });
  }
}

/**
 * Kafka error 25 `UNKNOWN_MEMBER_ID`: The coordinator is not aware of this member.
 *
 * @example
 * ```ts
 * import { errorForCode, UnknownMemberId } from "./mod.ts";
 * const err = errorForCode(25);
 * console.assert(err instanceof UnknownMemberId && err.code === UnknownMemberId.code);
 * ```
 */
export class UnknownMemberId extends KafkaError {
  /** The Kafka error code of this class: 25. */
  static readonly code: 25 = 25;
  /** Kafka's description of error 25. */
  static readonly description: string =
    "The coordinator is not aware of this member.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 25)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnknownMemberId.description, {
      cause: options?.cause,
      code: 25,
      retriable: false,
    });
  }
}

/**
 * Kafka error 26 `INVALID_SESSION_TIMEOUT`: The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms).
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidSessionTimeout } from "./mod.ts";
 * const err = errorForCode(26);
 * console.assert(err instanceof InvalidSessionTimeout && err.code === InvalidSessionTimeout.code);
 * ```
 */
export class InvalidSessionTimeout extends KafkaError {
  /** The Kafka error code of this class: 26. */
  static readonly code: 26 = 26;
  /** Kafka's description of error 26. */
  static readonly description: string =
    "The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms).";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 26)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidSessionTimeout.description, {
      cause: options?.cause,
      code: 26,
      retriable: false,
    });
  }
}

/**
 * Kafka error 27 `REBALANCE_IN_PROGRESS`: The group is rebalancing, so a rejoin is needed.
 *
 * @example
 * ```ts
 * import { errorForCode, RebalanceInProgress } from "./mod.ts";
 * const err = errorForCode(27);
 * console.assert(err instanceof RebalanceInProgress && err.code === RebalanceInProgress.code);
 * ```
 */
export class RebalanceInProgress extends KafkaError {
  /** The Kafka error code of this class: 27. */
  static readonly code: 27 = 27;
  /** Kafka's description of error 27. */
  static readonly description: string =
    "The group is rebalancing, so a rejoin is needed.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 27)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || RebalanceInProgress.description, {
      cause: options?.cause,
      code: 27,
      retriable: false,
    });
  }
}

/**
 * Kafka error 28 `INVALID_COMMIT_OFFSET_SIZE`: The committing offset data size is not valid.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidCommitOffsetSize } from "./mod.ts";
 * const err = errorForCode(28);
 * console.assert(err instanceof InvalidCommitOffsetSize && err.code === InvalidCommitOffsetSize.code);
 * ```
 */
export class InvalidCommitOffsetSize extends KafkaError {
  /** The Kafka error code of this class: 28. */
  static readonly code: 28 = 28;
  /** Kafka's description of error 28. */
  static readonly description: string =
    "The committing offset data size is not valid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 28)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidCommitOffsetSize.description, {
      cause: options?.cause,
      code: 28,
      retriable: false,
    });
  }
}

/**
 * Kafka error 29 `TOPIC_AUTHORIZATION_FAILED`: Topic authorization failed.
 *
 * @example
 * ```ts
 * import { errorForCode, TopicAuthorizationFailed } from "./mod.ts";
 * const err = errorForCode(29);
 * console.assert(err instanceof TopicAuthorizationFailed && err.code === TopicAuthorizationFailed.code);
 * ```
 */
export class TopicAuthorizationFailed extends AuthorizationError {
  /** The Kafka error code of this class: 29. */
  static readonly code: 29 = 29;
  /** Kafka's description of error 29. */
  static readonly description: string = "Topic authorization failed.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 29)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || TopicAuthorizationFailed.description, {
      cause: options?.cause,
      code: 29,
      retriable: false,
    });
  }
}

/**
 * Kafka error 30 `GROUP_AUTHORIZATION_FAILED`: Group authorization failed.
 *
 * @example
 * ```ts
 * import { errorForCode, GroupAuthorizationFailed } from "./mod.ts";
 * const err = errorForCode(30);
 * console.assert(err instanceof GroupAuthorizationFailed && err.code === GroupAuthorizationFailed.code);
 * ```
 */
export class GroupAuthorizationFailed extends AuthorizationError {
  /** The Kafka error code of this class: 30. */
  static readonly code: 30 = 30;
  /** Kafka's description of error 30. */
  static readonly description: string = "Group authorization failed.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 30)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || GroupAuthorizationFailed.description, {
      cause: options?.cause,
      code: 30,
      retriable: false,
    });
  }
}

/**
 * Kafka error 31 `CLUSTER_AUTHORIZATION_FAILED`: Cluster authorization failed.
 *
 * @example
 * ```ts
 * import { errorForCode, ClusterAuthorizationFailed } from "./mod.ts";
 * const err = errorForCode(31);
 * console.assert(err instanceof ClusterAuthorizationFailed && err.code === ClusterAuthorizationFailed.code);
 * ```
 */
export class ClusterAuthorizationFailed extends AuthorizationError {
  /** The Kafka error code of this class: 31. */
  static readonly code: 31 = 31;
  /** Kafka's description of error 31. */
  static readonly description: string = "Cluster authorization failed.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 31)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ClusterAuthorizationFailed.description, {
      cause: options?.cause,
      code: 31,
      retriable: false,
    });
  }
}

/**
 * Kafka error 32 `INVALID_TIMESTAMP`: The timestamp of the message is out of acceptable range.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidTimestamp } from "./mod.ts";
 * const err = errorForCode(32);
 * console.assert(err instanceof InvalidTimestamp && err.code === InvalidTimestamp.code);
 * ```
 */
export class InvalidTimestamp extends KafkaError {
  /** The Kafka error code of this class: 32. */
  static readonly code: 32 = 32;
  /** Kafka's description of error 32. */
  static readonly description: string =
    "The timestamp of the message is out of acceptable range.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 32)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidTimestamp.description, {
      cause: options?.cause,
      code: 32,
      retriable: false,
    });
  }
}

/**
 * Kafka error 33 `UNSUPPORTED_SASL_MECHANISM`: The broker does not support the requested SASL mechanism.
 *
 * @example
 * ```ts
 * import { errorForCode, UnsupportedSaslMechanism } from "./mod.ts";
 * const err = errorForCode(33);
 * console.assert(err instanceof UnsupportedSaslMechanism && err.code === UnsupportedSaslMechanism.code);
 * ```
 */
export class UnsupportedSaslMechanism extends AuthenticationError {
  /** The Kafka error code of this class: 33. */
  static readonly code: 33 = 33;
  /** Kafka's description of error 33. */
  static readonly description: string =
    "The broker does not support the requested SASL mechanism.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 33)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnsupportedSaslMechanism.description, {
      cause: options?.cause,
      code: 33,
      retriable: false,
    });
  }
}

/**
 * Kafka error 34 `ILLEGAL_SASL_STATE`: Request is not valid given the current SASL state.
 *
 * @example
 * ```ts
 * import { errorForCode, IllegalSaslState } from "./mod.ts";
 * const err = errorForCode(34);
 * console.assert(err instanceof IllegalSaslState && err.code === IllegalSaslState.code);
 * ```
 */
export class IllegalSaslState extends AuthenticationError {
  /** The Kafka error code of this class: 34. */
  static readonly code: 34 = 34;
  /** Kafka's description of error 34. */
  static readonly description: string =
    "Request is not valid given the current SASL state.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 34)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || IllegalSaslState.description, {
      cause: options?.cause,
      code: 34,
      retriable: false,
    });
  }
}

/**
 * Kafka error 35 `UNSUPPORTED_VERSION`: The version of API is not supported.
 *
 * Also exported as `UnsupportedVersionError` (client-side name).
 *
 * @example
 * ```ts
 * import { errorForCode, UnsupportedVersion } from "./mod.ts";
 * const err = errorForCode(35);
 * console.assert(err instanceof UnsupportedVersion && err.code === UnsupportedVersion.code);
 * ```
 */
export class UnsupportedVersion extends KafkaError {
  /** The Kafka error code of this class: 35. */
  static readonly code: 35 = 35;
  /** Kafka's description of error 35. */
  static readonly description: string = "The version of API is not supported.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 35)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnsupportedVersion.description, {
      cause: options?.cause,
      code: 35,
      retriable: false,
    });
  }
}

/** The name client-side code uses for {@link UnsupportedVersion} (Kafka error 35 `UNSUPPORTED_VERSION`): the same class. */
export const UnsupportedVersionError: typeof UnsupportedVersion =
  UnsupportedVersion;
/** The name client-side code uses for {@link UnsupportedVersion} (Kafka error 35 `UNSUPPORTED_VERSION`): the same class. */
export type UnsupportedVersionError = UnsupportedVersion;

/**
 * Kafka error 36 `TOPIC_ALREADY_EXISTS`: Topic with this name already exists.
 *
 * @example
 * ```ts
 * import { errorForCode, TopicAlreadyExists } from "./mod.ts";
 * const err = errorForCode(36);
 * console.assert(err instanceof TopicAlreadyExists && err.code === TopicAlreadyExists.code);
 * ```
 */
export class TopicAlreadyExists extends KafkaError {
  /** The Kafka error code of this class: 36. */
  static readonly code: 36 = 36;
  /** Kafka's description of error 36. */
  static readonly description: string = "Topic with this name already exists.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 36)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || TopicAlreadyExists.description, {
      cause: options?.cause,
      code: 36,
      retriable: false,
    });
  }
}

/**
 * Kafka error 37 `INVALID_PARTITIONS`: Number of partitions is below 1.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidPartitions } from "./mod.ts";
 * const err = errorForCode(37);
 * console.assert(err instanceof InvalidPartitions && err.code === InvalidPartitions.code);
 * ```
 */
export class InvalidPartitions extends KafkaError {
  /** The Kafka error code of this class: 37. */
  static readonly code: 37 = 37;
  /** Kafka's description of error 37. */
  static readonly description: string = "Number of partitions is below 1.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 37)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidPartitions.description, {
      cause: options?.cause,
      code: 37,
      retriable: false,
    });
  }
}

/**
 * Kafka error 38 `INVALID_REPLICATION_FACTOR`: Replication factor is below 1 or larger than the number of available brokers.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidReplicationFactor } from "./mod.ts";
 * const err = errorForCode(38);
 * console.assert(err instanceof InvalidReplicationFactor && err.code === InvalidReplicationFactor.code);
 * ```
 */
export class InvalidReplicationFactor extends KafkaError {
  /** The Kafka error code of this class: 38. */
  static readonly code: 38 = 38;
  /** Kafka's description of error 38. */
  static readonly description: string =
    "Replication factor is below 1 or larger than the number of available brokers.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 38)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidReplicationFactor.description, {
      cause: options?.cause,
      code: 38,
      retriable: false,
    });
  }
}

/**
 * Kafka error 39 `INVALID_REPLICA_ASSIGNMENT`: Replica assignment is invalid.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidReplicaAssignment } from "./mod.ts";
 * const err = errorForCode(39);
 * console.assert(err instanceof InvalidReplicaAssignment && err.code === InvalidReplicaAssignment.code);
 * ```
 */
export class InvalidReplicaAssignment extends KafkaError {
  /** The Kafka error code of this class: 39. */
  static readonly code: 39 = 39;
  /** Kafka's description of error 39. */
  static readonly description: string = "Replica assignment is invalid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 39)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidReplicaAssignment.description, {
      cause: options?.cause,
      code: 39,
      retriable: false,
    });
  }
}

/**
 * Kafka error 40 `INVALID_CONFIG`: Configuration is invalid.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidConfig } from "./mod.ts";
 * const err = errorForCode(40);
 * console.assert(err instanceof InvalidConfig && err.code === InvalidConfig.code);
 * ```
 */
export class InvalidConfig extends KafkaError {
  /** The Kafka error code of this class: 40. */
  static readonly code: 40 = 40;
  /** Kafka's description of error 40. */
  static readonly description: string = "Configuration is invalid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 40)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidConfig.description, {
      cause: options?.cause,
      code: 40,
      retriable: false,
    });
  }
}

/**
 * Kafka error 41 `NOT_CONTROLLER` (retriable): This is not the correct controller for this cluster.
 *
 * @example
 * ```ts
 * import { errorForCode, NotController } from "./mod.ts";
 * const err = errorForCode(41);
 * console.assert(err instanceof NotController && err.code === NotController.code);
 * ```
 */
export class NotController extends KafkaError {
  /** The Kafka error code of this class: 41. */
  static readonly code: 41 = 41;
  /** Kafka's description of error 41. */
  static readonly description: string =
    "This is not the correct controller for this cluster.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 41)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || NotController.description, {
      cause: options?.cause,
      code: 41,
      retriable: true,
    });
  }
}

/**
 * Kafka error 42 `INVALID_REQUEST`: This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidRequest } from "./mod.ts";
 * const err = errorForCode(42);
 * console.assert(err instanceof InvalidRequest && err.code === InvalidRequest.code);
 * ```
 */
export class InvalidRequest extends KafkaError {
  /** The Kafka error code of this class: 42. */
  static readonly code: 42 = 42;
  /** Kafka's description of error 42. */
  static readonly description: string =
    "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 42)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidRequest.description, {
      cause: options?.cause,
      code: 42,
      retriable: false,
    });
  }
}

/**
 * Kafka error 43 `UNSUPPORTED_FOR_MESSAGE_FORMAT`: The message format version on the broker does not support the request.
 *
 * @example
 * ```ts
 * import { errorForCode, UnsupportedForMessageFormat } from "./mod.ts";
 * const err = errorForCode(43);
 * console.assert(err instanceof UnsupportedForMessageFormat && err.code === UnsupportedForMessageFormat.code);
 * ```
 */
export class UnsupportedForMessageFormat extends KafkaError {
  /** The Kafka error code of this class: 43. */
  static readonly code: 43 = 43;
  /** Kafka's description of error 43. */
  static readonly description: string =
    "The message format version on the broker does not support the request.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 43)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnsupportedForMessageFormat.description, {
      cause: options?.cause,
      code: 43,
      retriable: false,
    });
  }
}

/**
 * Kafka error 44 `POLICY_VIOLATION`: Request parameters do not satisfy the configured policy.
 *
 * @example
 * ```ts
 * import { errorForCode, PolicyViolation } from "./mod.ts";
 * const err = errorForCode(44);
 * console.assert(err instanceof PolicyViolation && err.code === PolicyViolation.code);
 * ```
 */
export class PolicyViolation extends KafkaError {
  /** The Kafka error code of this class: 44. */
  static readonly code: 44 = 44;
  /** Kafka's description of error 44. */
  static readonly description: string =
    "Request parameters do not satisfy the configured policy.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 44)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || PolicyViolation.description, {
      cause: options?.cause,
      code: 44,
      retriable: false,
    });
  }
}

/**
 * Kafka error 45 `OUT_OF_ORDER_SEQUENCE_NUMBER`: The broker received an out of order sequence number.
 *
 * @example
 * ```ts
 * import { errorForCode, OutOfOrderSequenceNumber } from "./mod.ts";
 * const err = errorForCode(45);
 * console.assert(err instanceof OutOfOrderSequenceNumber && err.code === OutOfOrderSequenceNumber.code);
 * ```
 */
export class OutOfOrderSequenceNumber extends KafkaError {
  /** The Kafka error code of this class: 45. */
  static readonly code: 45 = 45;
  /** Kafka's description of error 45. */
  static readonly description: string =
    "The broker received an out of order sequence number.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 45)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || OutOfOrderSequenceNumber.description, {
      cause: options?.cause,
      code: 45,
      retriable: false,
    });
  }
}

/**
 * Kafka error 46 `DUPLICATE_SEQUENCE_NUMBER`: The broker received a duplicate sequence number.
 *
 * @example
 * ```ts
 * import { errorForCode, DuplicateSequenceNumber } from "./mod.ts";
 * const err = errorForCode(46);
 * console.assert(err instanceof DuplicateSequenceNumber && err.code === DuplicateSequenceNumber.code);
 * ```
 */
export class DuplicateSequenceNumber extends KafkaError {
  /** The Kafka error code of this class: 46. */
  static readonly code: 46 = 46;
  /** Kafka's description of error 46. */
  static readonly description: string =
    "The broker received a duplicate sequence number.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 46)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || DuplicateSequenceNumber.description, {
      cause: options?.cause,
      code: 46,
      retriable: false,
    });
  }
}

/**
 * Kafka error 47 `INVALID_PRODUCER_EPOCH`: Producer attempted to produce with an old epoch.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidProducerEpoch } from "./mod.ts";
 * const err = errorForCode(47);
 * console.assert(err instanceof InvalidProducerEpoch && err.code === InvalidProducerEpoch.code);
 * ```
 */
export class InvalidProducerEpoch extends KafkaError {
  /** The Kafka error code of this class: 47. */
  static readonly code: 47 = 47;
  /** Kafka's description of error 47. */
  static readonly description: string =
    "Producer attempted to produce with an old epoch.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 47)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidProducerEpoch.description, {
      cause: options?.cause,
      code: 47,
      retriable: false,
    });
  }
}

/**
 * Kafka error 48 `INVALID_TXN_STATE`: The producer attempted a transactional operation in an invalid state.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidTxnState } from "./mod.ts";
 * const err = errorForCode(48);
 * console.assert(err instanceof InvalidTxnState && err.code === InvalidTxnState.code);
 * ```
 */
export class InvalidTxnState extends KafkaError {
  /** The Kafka error code of this class: 48. */
  static readonly code: 48 = 48;
  /** Kafka's description of error 48. */
  static readonly description: string =
    "The producer attempted a transactional operation in an invalid state.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 48)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidTxnState.description, {
      cause: options?.cause,
      code: 48,
      retriable: false,
    });
  }
}

/**
 * Kafka error 49 `INVALID_PRODUCER_ID_MAPPING`: The producer attempted to use a producer id which is not currently assigned to its transactional id.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidProducerIdMapping } from "./mod.ts";
 * const err = errorForCode(49);
 * console.assert(err instanceof InvalidProducerIdMapping && err.code === InvalidProducerIdMapping.code);
 * ```
 */
export class InvalidProducerIdMapping extends KafkaError {
  /** The Kafka error code of this class: 49. */
  static readonly code: 49 = 49;
  /** Kafka's description of error 49. */
  static readonly description: string =
    "The producer attempted to use a producer id which is not currently assigned to its transactional id.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 49)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidProducerIdMapping.description, {
      cause: options?.cause,
      code: 49,
      retriable: false,
    });
  }
}

/**
 * Kafka error 50 `INVALID_TRANSACTION_TIMEOUT`: The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms).
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidTransactionTimeout } from "./mod.ts";
 * const err = errorForCode(50);
 * console.assert(err instanceof InvalidTransactionTimeout && err.code === InvalidTransactionTimeout.code);
 * ```
 */
export class InvalidTransactionTimeout extends KafkaError {
  /** The Kafka error code of this class: 50. */
  static readonly code: 50 = 50;
  /** Kafka's description of error 50. */
  static readonly description: string =
    "The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms).";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 50)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidTransactionTimeout.description, {
      cause: options?.cause,
      code: 50,
      retriable: false,
    });
  }
}

/**
 * Kafka error 51 `CONCURRENT_TRANSACTIONS` (retriable): The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing.
 *
 * @example
 * ```ts
 * import { errorForCode, ConcurrentTransactions } from "./mod.ts";
 * const err = errorForCode(51);
 * console.assert(err instanceof ConcurrentTransactions && err.code === ConcurrentTransactions.code);
 * ```
 */
export class ConcurrentTransactions extends KafkaError {
  /** The Kafka error code of this class: 51. */
  static readonly code: 51 = 51;
  /** Kafka's description of error 51. */
  static readonly description: string =
    "The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 51)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ConcurrentTransactions.description, {
      cause: options?.cause,
      code: 51,
      retriable: true,
    });
  }
}

/**
 * Kafka error 52 `TRANSACTION_COORDINATOR_FENCED`: Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer.
 *
 * @example
 * ```ts
 * import { errorForCode, TransactionCoordinatorFenced } from "./mod.ts";
 * const err = errorForCode(52);
 * console.assert(err instanceof TransactionCoordinatorFenced && err.code === TransactionCoordinatorFenced.code);
 * ```
 */
export class TransactionCoordinatorFenced extends KafkaError {
  /** The Kafka error code of this class: 52. */
  static readonly code: 52 = 52;
  /** Kafka's description of error 52. */
  static readonly description: string =
    "Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 52)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || TransactionCoordinatorFenced.description, {
      cause: options?.cause,
      code: 52,
      retriable: false,
    });
  }
}

/**
 * Kafka error 53 `TRANSACTIONAL_ID_AUTHORIZATION_FAILED`: Transactional Id authorization failed.
 *
 * @example
 * ```ts
 * import { errorForCode, TransactionalIdAuthorizationFailed } from "./mod.ts";
 * const err = errorForCode(53);
 * console.assert(err instanceof TransactionalIdAuthorizationFailed && err.code === TransactionalIdAuthorizationFailed.code);
 * ```
 */
export class TransactionalIdAuthorizationFailed extends AuthorizationError {
  /** The Kafka error code of this class: 53. */
  static readonly code: 53 = 53;
  /** Kafka's description of error 53. */
  static readonly description: string =
    "Transactional Id authorization failed.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 53)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || TransactionalIdAuthorizationFailed.description, {
      cause: options?.cause,
      code: 53,
      retriable: false,
    });
  }
}

/**
 * Kafka error 54 `SECURITY_DISABLED`: Security features are disabled.
 *
 * @example
 * ```ts
 * import { errorForCode, SecurityDisabled } from "./mod.ts";
 * const err = errorForCode(54);
 * console.assert(err instanceof SecurityDisabled && err.code === SecurityDisabled.code);
 * ```
 */
export class SecurityDisabled extends KafkaError {
  /** The Kafka error code of this class: 54. */
  static readonly code: 54 = 54;
  /** Kafka's description of error 54. */
  static readonly description: string = "Security features are disabled.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 54)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || SecurityDisabled.description, {
      cause: options?.cause,
      code: 54,
      retriable: false,
    });
  }
}

/**
 * Kafka error 55 `OPERATION_NOT_ATTEMPTED`: The broker did not attempt to execute this operation. This may happen for batched RPCs where some operations in the batch failed, causing the broker to respond without trying the rest.
 *
 * @example
 * ```ts
 * import { errorForCode, OperationNotAttempted } from "./mod.ts";
 * const err = errorForCode(55);
 * console.assert(err instanceof OperationNotAttempted && err.code === OperationNotAttempted.code);
 * ```
 */
export class OperationNotAttempted extends KafkaError {
  /** The Kafka error code of this class: 55. */
  static readonly code: 55 = 55;
  /** Kafka's description of error 55. */
  static readonly description: string =
    "The broker did not attempt to execute this operation. This may happen for batched RPCs where some operations in the batch failed, causing the broker to respond without trying the rest.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 55)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || OperationNotAttempted.description, {
      cause: options?.cause,
      code: 55,
      retriable: false,
    });
  }
}

/**
 * Kafka error 56 `KAFKA_STORAGE_ERROR` (retriable): Disk error when trying to access log file on the disk.
 *
 * @example
 * ```ts
 * import { errorForCode, KafkaStorageError } from "./mod.ts";
 * const err = errorForCode(56);
 * console.assert(err instanceof KafkaStorageError && err.code === KafkaStorageError.code);
 * ```
 */
export class KafkaStorageError extends InvalidMetadataError {
  /** The Kafka error code of this class: 56. */
  static readonly code: 56 = 56;
  /** Kafka's description of error 56. */
  static readonly description: string =
    "Disk error when trying to access log file on the disk.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 56)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || KafkaStorageError.description, {
      cause: options?.cause,
      code: 56,
      retriable: true,
    });
  }
}

/**
 * Kafka error 57 `LOG_DIR_NOT_FOUND`: The user-specified log directory is not found in the broker config.
 *
 * @example
 * ```ts
 * import { errorForCode, LogDirNotFound } from "./mod.ts";
 * const err = errorForCode(57);
 * console.assert(err instanceof LogDirNotFound && err.code === LogDirNotFound.code);
 * ```
 */
export class LogDirNotFound extends KafkaError {
  /** The Kafka error code of this class: 57. */
  static readonly code: 57 = 57;
  /** Kafka's description of error 57. */
  static readonly description: string =
    "The user-specified log directory is not found in the broker config.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 57)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || LogDirNotFound.description, {
      cause: options?.cause,
      code: 57,
      retriable: false,
    });
  }
}

/**
 * Kafka error 58 `SASL_AUTHENTICATION_FAILED`: SASL Authentication failed.
 *
 * Also exported as `SaslAuthenticationError` (client-side name).
 *
 * @example
 * ```ts
 * import { errorForCode, SaslAuthenticationFailed } from "./mod.ts";
 * const err = errorForCode(58);
 * console.assert(err instanceof SaslAuthenticationFailed && err.code === SaslAuthenticationFailed.code);
 * ```
 */
export class SaslAuthenticationFailed extends AuthenticationError {
  /** The Kafka error code of this class: 58. */
  static readonly code: 58 = 58;
  /** Kafka's description of error 58. */
  static readonly description: string = "SASL Authentication failed.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 58)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || SaslAuthenticationFailed.description, {
      cause: options?.cause,
      code: 58,
      retriable: false,
    });
  }
}

/** The name client-side code uses for {@link SaslAuthenticationFailed} (Kafka error 58 `SASL_AUTHENTICATION_FAILED`): the same class. */
export const SaslAuthenticationError: typeof SaslAuthenticationFailed =
  SaslAuthenticationFailed;
/** The name client-side code uses for {@link SaslAuthenticationFailed} (Kafka error 58 `SASL_AUTHENTICATION_FAILED`): the same class. */
export type SaslAuthenticationError = SaslAuthenticationFailed;

/**
 * Kafka error 59 `UNKNOWN_PRODUCER_ID`: This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question. This could happen if, for instance, the producer's records were deleted because their retention time had elapsed. Once the last records of the producerId are removed, the producer's metadata is removed from the broker, and future appends by the producer will return this exception.
 *
 * @example
 * ```ts
 * import { errorForCode, UnknownProducerId } from "./mod.ts";
 * const err = errorForCode(59);
 * console.assert(err instanceof UnknownProducerId && err.code === UnknownProducerId.code);
 * ```
 */
export class UnknownProducerId extends KafkaError {
  /** The Kafka error code of this class: 59. */
  static readonly code: 59 = 59;
  /** Kafka's description of error 59. */
  static readonly description: string =
    "This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question. This could happen if, for instance, the producer's records were deleted because their retention time had elapsed. Once the last records of the producerId are removed, the producer's metadata is removed from the broker, and future appends by the producer will return this exception.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 59)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnknownProducerId.description, {
      cause: options?.cause,
      code: 59,
      retriable: false,
    });
  }
}

/**
 * Kafka error 60 `REASSIGNMENT_IN_PROGRESS`: A partition reassignment is in progress.
 *
 * @example
 * ```ts
 * import { errorForCode, ReassignmentInProgress } from "./mod.ts";
 * const err = errorForCode(60);
 * console.assert(err instanceof ReassignmentInProgress && err.code === ReassignmentInProgress.code);
 * ```
 */
export class ReassignmentInProgress extends KafkaError {
  /** The Kafka error code of this class: 60. */
  static readonly code: 60 = 60;
  /** Kafka's description of error 60. */
  static readonly description: string =
    "A partition reassignment is in progress.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 60)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ReassignmentInProgress.description, {
      cause: options?.cause,
      code: 60,
      retriable: false,
    });
  }
}

/**
 * Kafka error 61 `DELEGATION_TOKEN_AUTH_DISABLED`: Delegation Token feature is not enabled.
 *
 * @example
 * ```ts
 * import { errorForCode, DelegationTokenAuthDisabled } from "./mod.ts";
 * const err = errorForCode(61);
 * console.assert(err instanceof DelegationTokenAuthDisabled && err.code === DelegationTokenAuthDisabled.code);
 * ```
 */
export class DelegationTokenAuthDisabled extends KafkaError {
  /** The Kafka error code of this class: 61. */
  static readonly code: 61 = 61;
  /** Kafka's description of error 61. */
  static readonly description: string =
    "Delegation Token feature is not enabled.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 61)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || DelegationTokenAuthDisabled.description, {
      cause: options?.cause,
      code: 61,
      retriable: false,
    });
  }
}

/**
 * Kafka error 62 `DELEGATION_TOKEN_NOT_FOUND`: Delegation Token is not found on server.
 *
 * @example
 * ```ts
 * import { errorForCode, DelegationTokenNotFound } from "./mod.ts";
 * const err = errorForCode(62);
 * console.assert(err instanceof DelegationTokenNotFound && err.code === DelegationTokenNotFound.code);
 * ```
 */
export class DelegationTokenNotFound extends KafkaError {
  /** The Kafka error code of this class: 62. */
  static readonly code: 62 = 62;
  /** Kafka's description of error 62. */
  static readonly description: string =
    "Delegation Token is not found on server.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 62)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || DelegationTokenNotFound.description, {
      cause: options?.cause,
      code: 62,
      retriable: false,
    });
  }
}

/**
 * Kafka error 63 `DELEGATION_TOKEN_OWNER_MISMATCH`: Specified Principal is not valid Owner/Renewer.
 *
 * @example
 * ```ts
 * import { errorForCode, DelegationTokenOwnerMismatch } from "./mod.ts";
 * const err = errorForCode(63);
 * console.assert(err instanceof DelegationTokenOwnerMismatch && err.code === DelegationTokenOwnerMismatch.code);
 * ```
 */
export class DelegationTokenOwnerMismatch extends KafkaError {
  /** The Kafka error code of this class: 63. */
  static readonly code: 63 = 63;
  /** Kafka's description of error 63. */
  static readonly description: string =
    "Specified Principal is not valid Owner/Renewer.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 63)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || DelegationTokenOwnerMismatch.description, {
      cause: options?.cause,
      code: 63,
      retriable: false,
    });
  }
}

/**
 * Kafka error 64 `DELEGATION_TOKEN_REQUEST_NOT_ALLOWED`: Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation token authenticated channels.
 *
 * @example
 * ```ts
 * import { errorForCode, DelegationTokenRequestNotAllowed } from "./mod.ts";
 * const err = errorForCode(64);
 * console.assert(err instanceof DelegationTokenRequestNotAllowed && err.code === DelegationTokenRequestNotAllowed.code);
 * ```
 */
export class DelegationTokenRequestNotAllowed extends KafkaError {
  /** The Kafka error code of this class: 64. */
  static readonly code: 64 = 64;
  /** Kafka's description of error 64. */
  static readonly description: string =
    "Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation token authenticated channels.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 64)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || DelegationTokenRequestNotAllowed.description, {
      cause: options?.cause,
      code: 64,
      retriable: false,
    });
  }
}

/**
 * Kafka error 65 `DELEGATION_TOKEN_AUTHORIZATION_FAILED`: Delegation Token authorization failed.
 *
 * @example
 * ```ts
 * import { errorForCode, DelegationTokenAuthorizationFailed } from "./mod.ts";
 * const err = errorForCode(65);
 * console.assert(err instanceof DelegationTokenAuthorizationFailed && err.code === DelegationTokenAuthorizationFailed.code);
 * ```
 */
export class DelegationTokenAuthorizationFailed extends AuthorizationError {
  /** The Kafka error code of this class: 65. */
  static readonly code: 65 = 65;
  /** Kafka's description of error 65. */
  static readonly description: string =
    "Delegation Token authorization failed.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 65)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || DelegationTokenAuthorizationFailed.description, {
      cause: options?.cause,
      code: 65,
      retriable: false,
    });
  }
}

/**
 * Kafka error 66 `DELEGATION_TOKEN_EXPIRED`: Delegation Token is expired.
 *
 * @example
 * ```ts
 * import { errorForCode, DelegationTokenExpired } from "./mod.ts";
 * const err = errorForCode(66);
 * console.assert(err instanceof DelegationTokenExpired && err.code === DelegationTokenExpired.code);
 * ```
 */
export class DelegationTokenExpired extends KafkaError {
  /** The Kafka error code of this class: 66. */
  static readonly code: 66 = 66;
  /** Kafka's description of error 66. */
  static readonly description: string = "Delegation Token is expired.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 66)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || DelegationTokenExpired.description, {
      cause: options?.cause,
      code: 66,
      retriable: false,
    });
  }
}

/**
 * Kafka error 67 `INVALID_PRINCIPAL_TYPE`: Supplied principalType is not supported.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidPrincipalType } from "./mod.ts";
 * const err = errorForCode(67);
 * console.assert(err instanceof InvalidPrincipalType && err.code === InvalidPrincipalType.code);
 * ```
 */
export class InvalidPrincipalType extends KafkaError {
  /** The Kafka error code of this class: 67. */
  static readonly code: 67 = 67;
  /** Kafka's description of error 67. */
  static readonly description: string =
    "Supplied principalType is not supported.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 67)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidPrincipalType.description, {
      cause: options?.cause,
      code: 67,
      retriable: false,
    });
  }
}

/**
 * Kafka error 68 `NON_EMPTY_GROUP`: The group is not empty.
 *
 * @example
 * ```ts
 * import { errorForCode, NonEmptyGroup } from "./mod.ts";
 * const err = errorForCode(68);
 * console.assert(err instanceof NonEmptyGroup && err.code === NonEmptyGroup.code);
 * ```
 */
export class NonEmptyGroup extends KafkaError {
  /** The Kafka error code of this class: 68. */
  static readonly code: 68 = 68;
  /** Kafka's description of error 68. */
  static readonly description: string = "The group is not empty.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 68)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || NonEmptyGroup.description, {
      cause: options?.cause,
      code: 68,
      retriable: false,
    });
  }
}

/**
 * Kafka error 69 `GROUP_ID_NOT_FOUND`: The group id does not exist.
 *
 * @example
 * ```ts
 * import { errorForCode, GroupIdNotFound } from "./mod.ts";
 * const err = errorForCode(69);
 * console.assert(err instanceof GroupIdNotFound && err.code === GroupIdNotFound.code);
 * ```
 */
export class GroupIdNotFound extends KafkaError {
  /** The Kafka error code of this class: 69. */
  static readonly code: 69 = 69;
  /** Kafka's description of error 69. */
  static readonly description: string = "The group id does not exist.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 69)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || GroupIdNotFound.description, {
      cause: options?.cause,
      code: 69,
      retriable: false,
    });
  }
}

/**
 * Kafka error 70 `FETCH_SESSION_ID_NOT_FOUND` (retriable): The fetch session ID was not found.
 *
 * @example
 * ```ts
 * import { errorForCode, FetchSessionIdNotFound } from "./mod.ts";
 * const err = errorForCode(70);
 * console.assert(err instanceof FetchSessionIdNotFound && err.code === FetchSessionIdNotFound.code);
 * ```
 */
export class FetchSessionIdNotFound extends KafkaError {
  /** The Kafka error code of this class: 70. */
  static readonly code: 70 = 70;
  /** Kafka's description of error 70. */
  static readonly description: string = "The fetch session ID was not found.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 70)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || FetchSessionIdNotFound.description, {
      cause: options?.cause,
      code: 70,
      retriable: true,
    });
  }
}

/**
 * Kafka error 71 `INVALID_FETCH_SESSION_EPOCH` (retriable): The fetch session epoch is invalid.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidFetchSessionEpoch } from "./mod.ts";
 * const err = errorForCode(71);
 * console.assert(err instanceof InvalidFetchSessionEpoch && err.code === InvalidFetchSessionEpoch.code);
 * ```
 */
export class InvalidFetchSessionEpoch extends KafkaError {
  /** The Kafka error code of this class: 71. */
  static readonly code: 71 = 71;
  /** Kafka's description of error 71. */
  static readonly description: string = "The fetch session epoch is invalid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 71)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidFetchSessionEpoch.description, {
      cause: options?.cause,
      code: 71,
      retriable: true,
    });
  }
}

/**
 * Kafka error 72 `LISTENER_NOT_FOUND` (retriable): There is no listener on the leader broker that matches the listener on which metadata request was processed.
 *
 * @example
 * ```ts
 * import { errorForCode, ListenerNotFound } from "./mod.ts";
 * const err = errorForCode(72);
 * console.assert(err instanceof ListenerNotFound && err.code === ListenerNotFound.code);
 * ```
 */
export class ListenerNotFound extends InvalidMetadataError {
  /** The Kafka error code of this class: 72. */
  static readonly code: 72 = 72;
  /** Kafka's description of error 72. */
  static readonly description: string =
    "There is no listener on the leader broker that matches the listener on which metadata request was processed.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 72)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ListenerNotFound.description, {
      cause: options?.cause,
      code: 72,
      retriable: true,
    });
  }
}

/**
 * Kafka error 73 `TOPIC_DELETION_DISABLED`: Topic deletion is disabled.
 *
 * @example
 * ```ts
 * import { errorForCode, TopicDeletionDisabled } from "./mod.ts";
 * const err = errorForCode(73);
 * console.assert(err instanceof TopicDeletionDisabled && err.code === TopicDeletionDisabled.code);
 * ```
 */
export class TopicDeletionDisabled extends KafkaError {
  /** The Kafka error code of this class: 73. */
  static readonly code: 73 = 73;
  /** Kafka's description of error 73. */
  static readonly description: string = "Topic deletion is disabled.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 73)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || TopicDeletionDisabled.description, {
      cause: options?.cause,
      code: 73,
      retriable: false,
    });
  }
}

/**
 * Kafka error 74 `FENCED_LEADER_EPOCH` (retriable): The leader epoch in the request is older than the epoch on the broker.
 *
 * @example
 * ```ts
 * import { errorForCode, FencedLeaderEpoch } from "./mod.ts";
 * const err = errorForCode(74);
 * console.assert(err instanceof FencedLeaderEpoch && err.code === FencedLeaderEpoch.code);
 * ```
 */
export class FencedLeaderEpoch extends InvalidMetadataError {
  /** The Kafka error code of this class: 74. */
  static readonly code: 74 = 74;
  /** Kafka's description of error 74. */
  static readonly description: string =
    "The leader epoch in the request is older than the epoch on the broker.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 74)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || FencedLeaderEpoch.description, {
      cause: options?.cause,
      code: 74,
      retriable: true,
    });
  }
}

/**
 * Kafka error 75 `UNKNOWN_LEADER_EPOCH` (retriable): The leader epoch in the request is newer than the epoch on the broker.
 *
 * @example
 * ```ts
 * import { errorForCode, UnknownLeaderEpoch } from "./mod.ts";
 * const err = errorForCode(75);
 * console.assert(err instanceof UnknownLeaderEpoch && err.code === UnknownLeaderEpoch.code);
 * ```
 */
export class UnknownLeaderEpoch extends KafkaError {
  /** The Kafka error code of this class: 75. */
  static readonly code: 75 = 75;
  /** Kafka's description of error 75. */
  static readonly description: string =
    "The leader epoch in the request is newer than the epoch on the broker.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 75)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnknownLeaderEpoch.description, {
      cause: options?.cause,
      code: 75,
      retriable: true,
    });
  }
}

/**
 * Kafka error 76 `UNSUPPORTED_COMPRESSION_TYPE`: The requesting client does not support the compression type of given partition.
 *
 * @example
 * ```ts
 * import { errorForCode, UnsupportedCompressionType } from "./mod.ts";
 * const err = errorForCode(76);
 * console.assert(err instanceof UnsupportedCompressionType && err.code === UnsupportedCompressionType.code);
 * ```
 */
export class UnsupportedCompressionType extends KafkaError {
  /** The Kafka error code of this class: 76. */
  static readonly code: 76 = 76;
  /** Kafka's description of error 76. */
  static readonly description: string =
    "The requesting client does not support the compression type of given partition.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 76)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnsupportedCompressionType.description, {
      cause: options?.cause,
      code: 76,
      retriable: false,
    });
  }
}

/**
 * Kafka error 77 `STALE_BROKER_EPOCH`: Broker epoch has changed.
 *
 * @example
 * ```ts
 * import { errorForCode, StaleBrokerEpoch } from "./mod.ts";
 * const err = errorForCode(77);
 * console.assert(err instanceof StaleBrokerEpoch && err.code === StaleBrokerEpoch.code);
 * ```
 */
export class StaleBrokerEpoch extends KafkaError {
  /** The Kafka error code of this class: 77. */
  static readonly code: 77 = 77;
  /** Kafka's description of error 77. */
  static readonly description: string = "Broker epoch has changed.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 77)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || StaleBrokerEpoch.description, {
      cause: options?.cause,
      code: 77,
      retriable: false,
    });
  }
}

/**
 * Kafka error 78 `OFFSET_NOT_AVAILABLE` (retriable): The leader high watermark has not caught up from a recent leader election so the offsets cannot be guaranteed to be monotonically increasing.
 *
 * @example
 * ```ts
 * import { errorForCode, OffsetNotAvailable } from "./mod.ts";
 * const err = errorForCode(78);
 * console.assert(err instanceof OffsetNotAvailable && err.code === OffsetNotAvailable.code);
 * ```
 */
export class OffsetNotAvailable extends KafkaError {
  /** The Kafka error code of this class: 78. */
  static readonly code: 78 = 78;
  /** Kafka's description of error 78. */
  static readonly description: string =
    "The leader high watermark has not caught up from a recent leader election so the offsets cannot be guaranteed to be monotonically increasing.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 78)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || OffsetNotAvailable.description, {
      cause: options?.cause,
      code: 78,
      retriable: true,
    });
  }
}

/**
 * Kafka error 79 `MEMBER_ID_REQUIRED`: The group member needs to have a valid member id before actually entering a consumer group.
 *
 * @example
 * ```ts
 * import { errorForCode, MemberIdRequired } from "./mod.ts";
 * const err = errorForCode(79);
 * console.assert(err instanceof MemberIdRequired && err.code === MemberIdRequired.code);
 * ```
 */
export class MemberIdRequired extends KafkaError {
  /** The Kafka error code of this class: 79. */
  static readonly code: 79 = 79;
  /** Kafka's description of error 79. */
  static readonly description: string =
    "The group member needs to have a valid member id before actually entering a consumer group.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 79)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || MemberIdRequired.description, {
      cause: options?.cause,
      code: 79,
      retriable: false,
    });
  }
}

/**
 * Kafka error 80 `PREFERRED_LEADER_NOT_AVAILABLE` (retriable): The preferred leader was not available.
 *
 * @example
 * ```ts
 * import { errorForCode, PreferredLeaderNotAvailable } from "./mod.ts";
 * const err = errorForCode(80);
 * console.assert(err instanceof PreferredLeaderNotAvailable && err.code === PreferredLeaderNotAvailable.code);
 * ```
 */
export class PreferredLeaderNotAvailable extends InvalidMetadataError {
  /** The Kafka error code of this class: 80. */
  static readonly code: 80 = 80;
  /** Kafka's description of error 80. */
  static readonly description: string =
    "The preferred leader was not available.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 80)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || PreferredLeaderNotAvailable.description, {
      cause: options?.cause,
      code: 80,
      retriable: true,
    });
  }
}

/**
 * Kafka error 81 `GROUP_MAX_SIZE_REACHED`: The group has reached its maximum size.
 *
 * @example
 * ```ts
 * import { errorForCode, GroupMaxSizeReached } from "./mod.ts";
 * const err = errorForCode(81);
 * console.assert(err instanceof GroupMaxSizeReached && err.code === GroupMaxSizeReached.code);
 * ```
 */
export class GroupMaxSizeReached extends KafkaError {
  /** The Kafka error code of this class: 81. */
  static readonly code: 81 = 81;
  /** Kafka's description of error 81. */
  static readonly description: string =
    "The group has reached its maximum size.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 81)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || GroupMaxSizeReached.description, {
      cause: options?.cause,
      code: 81,
      retriable: false,
    });
  }
}

/**
 * Kafka error 82 `FENCED_INSTANCE_ID`: The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id.
 *
 * @example
 * ```ts
 * import { errorForCode, FencedInstanceId } from "./mod.ts";
 * const err = errorForCode(82);
 * console.assert(err instanceof FencedInstanceId && err.code === FencedInstanceId.code);
 * ```
 */
export class FencedInstanceId extends KafkaError {
  /** The Kafka error code of this class: 82. */
  static readonly code: 82 = 82;
  /** Kafka's description of error 82. */
  static readonly description: string =
    "The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 82)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || FencedInstanceId.description, {
      cause: options?.cause,
      code: 82,
      retriable: false,
    });
  }
}

/**
 * Kafka error 83 `ELIGIBLE_LEADERS_NOT_AVAILABLE` (retriable): Eligible topic partition leaders are not available.
 *
 * @example
 * ```ts
 * import { errorForCode, EligibleLeadersNotAvailable } from "./mod.ts";
 * const err = errorForCode(83);
 * console.assert(err instanceof EligibleLeadersNotAvailable && err.code === EligibleLeadersNotAvailable.code);
 * ```
 */
export class EligibleLeadersNotAvailable extends InvalidMetadataError {
  /** The Kafka error code of this class: 83. */
  static readonly code: 83 = 83;
  /** Kafka's description of error 83. */
  static readonly description: string =
    "Eligible topic partition leaders are not available.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 83)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || EligibleLeadersNotAvailable.description, {
      cause: options?.cause,
      code: 83,
      retriable: true,
    });
  }
}

/**
 * Kafka error 84 `ELECTION_NOT_NEEDED` (retriable): Leader election not needed for topic partition.
 *
 * @example
 * ```ts
 * import { errorForCode, ElectionNotNeeded } from "./mod.ts";
 * const err = errorForCode(84);
 * console.assert(err instanceof ElectionNotNeeded && err.code === ElectionNotNeeded.code);
 * ```
 */
export class ElectionNotNeeded extends InvalidMetadataError {
  /** The Kafka error code of this class: 84. */
  static readonly code: 84 = 84;
  /** Kafka's description of error 84. */
  static readonly description: string =
    "Leader election not needed for topic partition.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 84)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ElectionNotNeeded.description, {
      cause: options?.cause,
      code: 84,
      retriable: true,
    });
  }
}

/**
 * Kafka error 85 `NO_REASSIGNMENT_IN_PROGRESS`: No partition reassignment is in progress.
 *
 * @example
 * ```ts
 * import { errorForCode, NoReassignmentInProgress } from "./mod.ts";
 * const err = errorForCode(85);
 * console.assert(err instanceof NoReassignmentInProgress && err.code === NoReassignmentInProgress.code);
 * ```
 */
export class NoReassignmentInProgress extends KafkaError {
  /** The Kafka error code of this class: 85. */
  static readonly code: 85 = 85;
  /** Kafka's description of error 85. */
  static readonly description: string =
    "No partition reassignment is in progress.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 85)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || NoReassignmentInProgress.description, {
      cause: options?.cause,
      code: 85,
      retriable: false,
    });
  }
}

/**
 * Kafka error 86 `GROUP_SUBSCRIBED_TO_TOPIC`: Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.
 *
 * @example
 * ```ts
 * import { errorForCode, GroupSubscribedToTopic } from "./mod.ts";
 * const err = errorForCode(86);
 * console.assert(err instanceof GroupSubscribedToTopic && err.code === GroupSubscribedToTopic.code);
 * ```
 */
export class GroupSubscribedToTopic extends KafkaError {
  /** The Kafka error code of this class: 86. */
  static readonly code: 86 = 86;
  /** Kafka's description of error 86. */
  static readonly description: string =
    "Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 86)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || GroupSubscribedToTopic.description, {
      cause: options?.cause,
      code: 86,
      retriable: false,
    });
  }
}

/**
 * Kafka error 87 `INVALID_RECORD`: This record has failed the validation on broker and hence will be rejected.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidRecord } from "./mod.ts";
 * const err = errorForCode(87);
 * console.assert(err instanceof InvalidRecord && err.code === InvalidRecord.code);
 * ```
 */
export class InvalidRecord extends KafkaError {
  /** The Kafka error code of this class: 87. */
  static readonly code: 87 = 87;
  /** Kafka's description of error 87. */
  static readonly description: string =
    "This record has failed the validation on broker and hence will be rejected.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 87)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidRecord.description, {
      cause: options?.cause,
      code: 87,
      retriable: false,
    });
  }
}

/**
 * Kafka error 88 `UNSTABLE_OFFSET_COMMIT` (retriable): There are unstable offsets that need to be cleared.
 *
 * @example
 * ```ts
 * import { errorForCode, UnstableOffsetCommit } from "./mod.ts";
 * const err = errorForCode(88);
 * console.assert(err instanceof UnstableOffsetCommit && err.code === UnstableOffsetCommit.code);
 * ```
 */
export class UnstableOffsetCommit extends KafkaError {
  /** The Kafka error code of this class: 88. */
  static readonly code: 88 = 88;
  /** Kafka's description of error 88. */
  static readonly description: string =
    "There are unstable offsets that need to be cleared.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 88)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnstableOffsetCommit.description, {
      cause: options?.cause,
      code: 88,
      retriable: true,
    });
  }
}

/**
 * Kafka error 89 `THROTTLING_QUOTA_EXCEEDED` (retriable): The throttling quota has been exceeded.
 *
 * @example
 * ```ts
 * import { errorForCode, ThrottlingQuotaExceeded } from "./mod.ts";
 * const err = errorForCode(89);
 * console.assert(err instanceof ThrottlingQuotaExceeded && err.code === ThrottlingQuotaExceeded.code);
 * ```
 */
export class ThrottlingQuotaExceeded extends KafkaError {
  /** The Kafka error code of this class: 89. */
  static readonly code: 89 = 89;
  /** Kafka's description of error 89. */
  static readonly description: string =
    "The throttling quota has been exceeded.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 89)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ThrottlingQuotaExceeded.description, {
      cause: options?.cause,
      code: 89,
      retriable: true,
    });
  }
}

/**
 * Kafka error 90 `PRODUCER_FENCED`: There is a newer producer with the same transactionalId which fences the current one.
 *
 * @example
 * ```ts
 * import { errorForCode, ProducerFenced } from "./mod.ts";
 * const err = errorForCode(90);
 * console.assert(err instanceof ProducerFenced && err.code === ProducerFenced.code);
 * ```
 */
export class ProducerFenced extends KafkaError {
  /** The Kafka error code of this class: 90. */
  static readonly code: 90 = 90;
  /** Kafka's description of error 90. */
  static readonly description: string =
    "There is a newer producer with the same transactionalId which fences the current one.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 90)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ProducerFenced.description, {
      cause: options?.cause,
      code: 90,
      retriable: false,
    });
  }
}

/**
 * Kafka error 91 `RESOURCE_NOT_FOUND`: A request illegally referred to a resource that does not exist.
 *
 * @example
 * ```ts
 * import { errorForCode, ResourceNotFound } from "./mod.ts";
 * const err = errorForCode(91);
 * console.assert(err instanceof ResourceNotFound && err.code === ResourceNotFound.code);
 * ```
 */
export class ResourceNotFound extends KafkaError {
  /** The Kafka error code of this class: 91. */
  static readonly code: 91 = 91;
  /** Kafka's description of error 91. */
  static readonly description: string =
    "A request illegally referred to a resource that does not exist.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 91)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ResourceNotFound.description, {
      cause: options?.cause,
      code: 91,
      retriable: false,
    });
  }
}

/**
 * Kafka error 92 `DUPLICATE_RESOURCE`: A request illegally referred to the same resource twice.
 *
 * @example
 * ```ts
 * import { errorForCode, DuplicateResource } from "./mod.ts";
 * const err = errorForCode(92);
 * console.assert(err instanceof DuplicateResource && err.code === DuplicateResource.code);
 * ```
 */
export class DuplicateResource extends KafkaError {
  /** The Kafka error code of this class: 92. */
  static readonly code: 92 = 92;
  /** Kafka's description of error 92. */
  static readonly description: string =
    "A request illegally referred to the same resource twice.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 92)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || DuplicateResource.description, {
      cause: options?.cause,
      code: 92,
      retriable: false,
    });
  }
}

/**
 * Kafka error 93 `UNACCEPTABLE_CREDENTIAL`: Requested credential would not meet criteria for acceptability.
 *
 * @example
 * ```ts
 * import { errorForCode, UnacceptableCredential } from "./mod.ts";
 * const err = errorForCode(93);
 * console.assert(err instanceof UnacceptableCredential && err.code === UnacceptableCredential.code);
 * ```
 */
export class UnacceptableCredential extends KafkaError {
  /** The Kafka error code of this class: 93. */
  static readonly code: 93 = 93;
  /** Kafka's description of error 93. */
  static readonly description: string =
    "Requested credential would not meet criteria for acceptability.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 93)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnacceptableCredential.description, {
      cause: options?.cause,
      code: 93,
      retriable: false,
    });
  }
}

/**
 * Kafka error 94 `INCONSISTENT_VOTER_SET`: Indicates that the either the sender or recipient of a voter-only request is not one of the expected voters.
 *
 * @example
 * ```ts
 * import { errorForCode, InconsistentVoterSet } from "./mod.ts";
 * const err = errorForCode(94);
 * console.assert(err instanceof InconsistentVoterSet && err.code === InconsistentVoterSet.code);
 * ```
 */
export class InconsistentVoterSet extends KafkaError {
  /** The Kafka error code of this class: 94. */
  static readonly code: 94 = 94;
  /** Kafka's description of error 94. */
  static readonly description: string =
    "Indicates that the either the sender or recipient of a voter-only request is not one of the expected voters.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 94)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InconsistentVoterSet.description, {
      cause: options?.cause,
      code: 94,
      retriable: false,
    });
  }
}

/**
 * Kafka error 95 `INVALID_UPDATE_VERSION`: The given update version was invalid.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidUpdateVersion } from "./mod.ts";
 * const err = errorForCode(95);
 * console.assert(err instanceof InvalidUpdateVersion && err.code === InvalidUpdateVersion.code);
 * ```
 */
export class InvalidUpdateVersion extends KafkaError {
  /** The Kafka error code of this class: 95. */
  static readonly code: 95 = 95;
  /** Kafka's description of error 95. */
  static readonly description: string = "The given update version was invalid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 95)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidUpdateVersion.description, {
      cause: options?.cause,
      code: 95,
      retriable: false,
    });
  }
}

/**
 * Kafka error 96 `FEATURE_UPDATE_FAILED`: Unable to update finalized features due to an unexpected server error.
 *
 * @example
 * ```ts
 * import { errorForCode, FeatureUpdateFailed } from "./mod.ts";
 * const err = errorForCode(96);
 * console.assert(err instanceof FeatureUpdateFailed && err.code === FeatureUpdateFailed.code);
 * ```
 */
export class FeatureUpdateFailed extends KafkaError {
  /** The Kafka error code of this class: 96. */
  static readonly code: 96 = 96;
  /** Kafka's description of error 96. */
  static readonly description: string =
    "Unable to update finalized features due to an unexpected server error.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 96)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || FeatureUpdateFailed.description, {
      cause: options?.cause,
      code: 96,
      retriable: false,
    });
  }
}

/**
 * Kafka error 97 `PRINCIPAL_DESERIALIZATION_FAILURE`: Request principal deserialization failed during forwarding. This indicates an internal error on the broker cluster security setup.
 *
 * @example
 * ```ts
 * import { errorForCode, PrincipalDeserializationFailure } from "./mod.ts";
 * const err = errorForCode(97);
 * console.assert(err instanceof PrincipalDeserializationFailure && err.code === PrincipalDeserializationFailure.code);
 * ```
 */
export class PrincipalDeserializationFailure extends KafkaError {
  /** The Kafka error code of this class: 97. */
  static readonly code: 97 = 97;
  /** Kafka's description of error 97. */
  static readonly description: string =
    "Request principal deserialization failed during forwarding. This indicates an internal error on the broker cluster security setup.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 97)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || PrincipalDeserializationFailure.description, {
      cause: options?.cause,
      code: 97,
      retriable: false,
    });
  }
}

/**
 * Kafka error 98 `SNAPSHOT_NOT_FOUND`: Requested snapshot was not found.
 *
 * @example
 * ```ts
 * import { errorForCode, SnapshotNotFound } from "./mod.ts";
 * const err = errorForCode(98);
 * console.assert(err instanceof SnapshotNotFound && err.code === SnapshotNotFound.code);
 * ```
 */
export class SnapshotNotFound extends KafkaError {
  /** The Kafka error code of this class: 98. */
  static readonly code: 98 = 98;
  /** Kafka's description of error 98. */
  static readonly description: string = "Requested snapshot was not found.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 98)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || SnapshotNotFound.description, {
      cause: options?.cause,
      code: 98,
      retriable: false,
    });
  }
}

/**
 * Kafka error 99 `POSITION_OUT_OF_RANGE`: Requested position is not greater than or equal to zero, and less than the size of the snapshot.
 *
 * @example
 * ```ts
 * import { errorForCode, PositionOutOfRange } from "./mod.ts";
 * const err = errorForCode(99);
 * console.assert(err instanceof PositionOutOfRange && err.code === PositionOutOfRange.code);
 * ```
 */
export class PositionOutOfRange extends KafkaError {
  /** The Kafka error code of this class: 99. */
  static readonly code: 99 = 99;
  /** Kafka's description of error 99. */
  static readonly description: string =
    "Requested position is not greater than or equal to zero, and less than the size of the snapshot.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 99)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || PositionOutOfRange.description, {
      cause: options?.cause,
      code: 99,
      retriable: false,
    });
  }
}

/**
 * Kafka error 100 `UNKNOWN_TOPIC_ID` (retriable): This server does not host this topic ID.
 *
 * @example
 * ```ts
 * import { errorForCode, UnknownTopicId } from "./mod.ts";
 * const err = errorForCode(100);
 * console.assert(err instanceof UnknownTopicId && err.code === UnknownTopicId.code);
 * ```
 */
export class UnknownTopicId extends InvalidMetadataError {
  /** The Kafka error code of this class: 100. */
  static readonly code: 100 = 100;
  /** Kafka's description of error 100. */
  static readonly description: string =
    "This server does not host this topic ID.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 100)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnknownTopicId.description, {
      cause: options?.cause,
      code: 100,
      retriable: true,
    });
  }
}

/**
 * Kafka error 101 `DUPLICATE_BROKER_REGISTRATION`: This broker ID is already in use.
 *
 * @example
 * ```ts
 * import { errorForCode, DuplicateBrokerRegistration } from "./mod.ts";
 * const err = errorForCode(101);
 * console.assert(err instanceof DuplicateBrokerRegistration && err.code === DuplicateBrokerRegistration.code);
 * ```
 */
export class DuplicateBrokerRegistration extends KafkaError {
  /** The Kafka error code of this class: 101. */
  static readonly code: 101 = 101;
  /** Kafka's description of error 101. */
  static readonly description: string = "This broker ID is already in use.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 101)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || DuplicateBrokerRegistration.description, {
      cause: options?.cause,
      code: 101,
      retriable: false,
    });
  }
}

/**
 * Kafka error 102 `BROKER_ID_NOT_REGISTERED`: The given broker ID was not registered.
 *
 * @example
 * ```ts
 * import { errorForCode, BrokerIdNotRegistered } from "./mod.ts";
 * const err = errorForCode(102);
 * console.assert(err instanceof BrokerIdNotRegistered && err.code === BrokerIdNotRegistered.code);
 * ```
 */
export class BrokerIdNotRegistered extends KafkaError {
  /** The Kafka error code of this class: 102. */
  static readonly code: 102 = 102;
  /** Kafka's description of error 102. */
  static readonly description: string =
    "The given broker ID was not registered.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 102)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || BrokerIdNotRegistered.description, {
      cause: options?.cause,
      code: 102,
      retriable: false,
    });
  }
}

/**
 * Kafka error 103 `INCONSISTENT_TOPIC_ID` (retriable): The log's topic ID did not match the topic ID in the request.
 *
 * @example
 * ```ts
 * import { errorForCode, InconsistentTopicId } from "./mod.ts";
 * const err = errorForCode(103);
 * console.assert(err instanceof InconsistentTopicId && err.code === InconsistentTopicId.code);
 * ```
 */
export class InconsistentTopicId extends InvalidMetadataError {
  /** The Kafka error code of this class: 103. */
  static readonly code: 103 = 103;
  /** Kafka's description of error 103. */
  static readonly description: string =
    "The log's topic ID did not match the topic ID in the request.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 103)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InconsistentTopicId.description, {
      cause: options?.cause,
      code: 103,
      retriable: true,
    });
  }
}

/**
 * Kafka error 104 `INCONSISTENT_CLUSTER_ID`: The clusterId in the request does not match that found on the server.
 *
 * @example
 * ```ts
 * import { errorForCode, InconsistentClusterId } from "./mod.ts";
 * const err = errorForCode(104);
 * console.assert(err instanceof InconsistentClusterId && err.code === InconsistentClusterId.code);
 * ```
 */
export class InconsistentClusterId extends KafkaError {
  /** The Kafka error code of this class: 104. */
  static readonly code: 104 = 104;
  /** Kafka's description of error 104. */
  static readonly description: string =
    "The clusterId in the request does not match that found on the server.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 104)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InconsistentClusterId.description, {
      cause: options?.cause,
      code: 104,
      retriable: false,
    });
  }
}

/**
 * Kafka error 105 `TRANSACTIONAL_ID_NOT_FOUND`: The transactionalId could not be found.
 *
 * @example
 * ```ts
 * import { errorForCode, TransactionalIdNotFound } from "./mod.ts";
 * const err = errorForCode(105);
 * console.assert(err instanceof TransactionalIdNotFound && err.code === TransactionalIdNotFound.code);
 * ```
 */
export class TransactionalIdNotFound extends KafkaError {
  /** The Kafka error code of this class: 105. */
  static readonly code: 105 = 105;
  /** Kafka's description of error 105. */
  static readonly description: string =
    "The transactionalId could not be found.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 105)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || TransactionalIdNotFound.description, {
      cause: options?.cause,
      code: 105,
      retriable: false,
    });
  }
}

/**
 * Kafka error 106 `FETCH_SESSION_TOPIC_ID_ERROR` (retriable): The fetch session encountered inconsistent topic ID usage.
 *
 * @example
 * ```ts
 * import { errorForCode, FetchSessionTopicIdError } from "./mod.ts";
 * const err = errorForCode(106);
 * console.assert(err instanceof FetchSessionTopicIdError && err.code === FetchSessionTopicIdError.code);
 * ```
 */
export class FetchSessionTopicIdError extends KafkaError {
  /** The Kafka error code of this class: 106. */
  static readonly code: 106 = 106;
  /** Kafka's description of error 106. */
  static readonly description: string =
    "The fetch session encountered inconsistent topic ID usage.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 106)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || FetchSessionTopicIdError.description, {
      cause: options?.cause,
      code: 106,
      retriable: true,
    });
  }
}

/**
 * Kafka error 107 `INELIGIBLE_REPLICA`: The new ISR contains at least one ineligible replica.
 *
 * @example
 * ```ts
 * import { errorForCode, IneligibleReplica } from "./mod.ts";
 * const err = errorForCode(107);
 * console.assert(err instanceof IneligibleReplica && err.code === IneligibleReplica.code);
 * ```
 */
export class IneligibleReplica extends KafkaError {
  /** The Kafka error code of this class: 107. */
  static readonly code: 107 = 107;
  /** Kafka's description of error 107. */
  static readonly description: string =
    "The new ISR contains at least one ineligible replica.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 107)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || IneligibleReplica.description, {
      cause: options?.cause,
      code: 107,
      retriable: false,
    });
  }
}

/**
 * Kafka error 108 `NEW_LEADER_ELECTED`: The AlterPartition request successfully updated the partition state but the leader has changed.
 *
 * @example
 * ```ts
 * import { errorForCode, NewLeaderElected } from "./mod.ts";
 * const err = errorForCode(108);
 * console.assert(err instanceof NewLeaderElected && err.code === NewLeaderElected.code);
 * ```
 */
export class NewLeaderElected extends KafkaError {
  /** The Kafka error code of this class: 108. */
  static readonly code: 108 = 108;
  /** Kafka's description of error 108. */
  static readonly description: string =
    "The AlterPartition request successfully updated the partition state but the leader has changed.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 108)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || NewLeaderElected.description, {
      cause: options?.cause,
      code: 108,
      retriable: false,
    });
  }
}

/**
 * Kafka error 109 `OFFSET_MOVED_TO_TIERED_STORAGE`: The requested offset is moved to tiered storage.
 *
 * @example
 * ```ts
 * import { errorForCode, OffsetMovedToTieredStorage } from "./mod.ts";
 * const err = errorForCode(109);
 * console.assert(err instanceof OffsetMovedToTieredStorage && err.code === OffsetMovedToTieredStorage.code);
 * ```
 */
export class OffsetMovedToTieredStorage extends KafkaError {
  /** The Kafka error code of this class: 109. */
  static readonly code: 109 = 109;
  /** Kafka's description of error 109. */
  static readonly description: string =
    "The requested offset is moved to tiered storage.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 109)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || OffsetMovedToTieredStorage.description, {
      cause: options?.cause,
      code: 109,
      retriable: false,
    });
  }
}

/**
 * Kafka error 110 `FENCED_MEMBER_EPOCH`: The member epoch is fenced by the group coordinator. The member must abandon all its partitions and rejoin.
 *
 * @example
 * ```ts
 * import { errorForCode, FencedMemberEpoch } from "./mod.ts";
 * const err = errorForCode(110);
 * console.assert(err instanceof FencedMemberEpoch && err.code === FencedMemberEpoch.code);
 * ```
 */
export class FencedMemberEpoch extends KafkaError {
  /** The Kafka error code of this class: 110. */
  static readonly code: 110 = 110;
  /** Kafka's description of error 110. */
  static readonly description: string =
    "The member epoch is fenced by the group coordinator. The member must abandon all its partitions and rejoin.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 110)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || FencedMemberEpoch.description, {
      cause: options?.cause,
      code: 110,
      retriable: false,
    });
  }
}

/**
 * Kafka error 111 `UNRELEASED_INSTANCE_ID`: The instance ID is still used by another member in the consumer group. That member must leave first.
 *
 * @example
 * ```ts
 * import { errorForCode, UnreleasedInstanceId } from "./mod.ts";
 * const err = errorForCode(111);
 * console.assert(err instanceof UnreleasedInstanceId && err.code === UnreleasedInstanceId.code);
 * ```
 */
export class UnreleasedInstanceId extends KafkaError {
  /** The Kafka error code of this class: 111. */
  static readonly code: 111 = 111;
  /** Kafka's description of error 111. */
  static readonly description: string =
    "The instance ID is still used by another member in the consumer group. That member must leave first.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 111)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnreleasedInstanceId.description, {
      cause: options?.cause,
      code: 111,
      retriable: false,
    });
  }
}

/**
 * Kafka error 112 `UNSUPPORTED_ASSIGNOR`: The assignor or its version range is not supported by the consumer group.
 *
 * @example
 * ```ts
 * import { errorForCode, UnsupportedAssignor } from "./mod.ts";
 * const err = errorForCode(112);
 * console.assert(err instanceof UnsupportedAssignor && err.code === UnsupportedAssignor.code);
 * ```
 */
export class UnsupportedAssignor extends KafkaError {
  /** The Kafka error code of this class: 112. */
  static readonly code: 112 = 112;
  /** Kafka's description of error 112. */
  static readonly description: string =
    "The assignor or its version range is not supported by the consumer group.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 112)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnsupportedAssignor.description, {
      cause: options?.cause,
      code: 112,
      retriable: false,
    });
  }
}

/**
 * Kafka error 113 `STALE_MEMBER_EPOCH`: The member epoch is stale. The member must retry after receiving its updated member epoch via the ConsumerGroupHeartbeat API.
 *
 * @example
 * ```ts
 * import { errorForCode, StaleMemberEpoch } from "./mod.ts";
 * const err = errorForCode(113);
 * console.assert(err instanceof StaleMemberEpoch && err.code === StaleMemberEpoch.code);
 * ```
 */
export class StaleMemberEpoch extends KafkaError {
  /** The Kafka error code of this class: 113. */
  static readonly code: 113 = 113;
  /** Kafka's description of error 113. */
  static readonly description: string =
    "The member epoch is stale. The member must retry after receiving its updated member epoch via the ConsumerGroupHeartbeat API.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 113)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || StaleMemberEpoch.description, {
      cause: options?.cause,
      code: 113,
      retriable: false,
    });
  }
}

/**
 * Kafka error 114 `MISMATCHED_ENDPOINT_TYPE`: The request was sent to an endpoint of the wrong type.
 *
 * @example
 * ```ts
 * import { errorForCode, MismatchedEndpointType } from "./mod.ts";
 * const err = errorForCode(114);
 * console.assert(err instanceof MismatchedEndpointType && err.code === MismatchedEndpointType.code);
 * ```
 */
export class MismatchedEndpointType extends KafkaError {
  /** The Kafka error code of this class: 114. */
  static readonly code: 114 = 114;
  /** Kafka's description of error 114. */
  static readonly description: string =
    "The request was sent to an endpoint of the wrong type.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 114)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || MismatchedEndpointType.description, {
      cause: options?.cause,
      code: 114,
      retriable: false,
    });
  }
}

/**
 * Kafka error 115 `UNSUPPORTED_ENDPOINT_TYPE`: This endpoint type is not supported yet.
 *
 * @example
 * ```ts
 * import { errorForCode, UnsupportedEndpointType } from "./mod.ts";
 * const err = errorForCode(115);
 * console.assert(err instanceof UnsupportedEndpointType && err.code === UnsupportedEndpointType.code);
 * ```
 */
export class UnsupportedEndpointType extends KafkaError {
  /** The Kafka error code of this class: 115. */
  static readonly code: 115 = 115;
  /** Kafka's description of error 115. */
  static readonly description: string =
    "This endpoint type is not supported yet.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 115)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnsupportedEndpointType.description, {
      cause: options?.cause,
      code: 115,
      retriable: false,
    });
  }
}

/**
 * Kafka error 116 `UNKNOWN_CONTROLLER_ID`: This controller ID is not known.
 *
 * @example
 * ```ts
 * import { errorForCode, UnknownControllerId } from "./mod.ts";
 * const err = errorForCode(116);
 * console.assert(err instanceof UnknownControllerId && err.code === UnknownControllerId.code);
 * ```
 */
export class UnknownControllerId extends KafkaError {
  /** The Kafka error code of this class: 116. */
  static readonly code: 116 = 116;
  /** Kafka's description of error 116. */
  static readonly description: string = "This controller ID is not known.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 116)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnknownControllerId.description, {
      cause: options?.cause,
      code: 116,
      retriable: false,
    });
  }
}

/**
 * Kafka error 117 `UNKNOWN_SUBSCRIPTION_ID`: Client sent a push telemetry request with an invalid or outdated subscription ID.
 *
 * @example
 * ```ts
 * import { errorForCode, UnknownSubscriptionId } from "./mod.ts";
 * const err = errorForCode(117);
 * console.assert(err instanceof UnknownSubscriptionId && err.code === UnknownSubscriptionId.code);
 * ```
 */
export class UnknownSubscriptionId extends KafkaError {
  /** The Kafka error code of this class: 117. */
  static readonly code: 117 = 117;
  /** Kafka's description of error 117. */
  static readonly description: string =
    "Client sent a push telemetry request with an invalid or outdated subscription ID.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 117)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || UnknownSubscriptionId.description, {
      cause: options?.cause,
      code: 117,
      retriable: false,
    });
  }
}

/**
 * Kafka error 118 `TELEMETRY_TOO_LARGE`: Client sent a push telemetry request larger than the maximum size the broker will accept.
 *
 * @example
 * ```ts
 * import { errorForCode, TelemetryTooLarge } from "./mod.ts";
 * const err = errorForCode(118);
 * console.assert(err instanceof TelemetryTooLarge && err.code === TelemetryTooLarge.code);
 * ```
 */
export class TelemetryTooLarge extends KafkaError {
  /** The Kafka error code of this class: 118. */
  static readonly code: 118 = 118;
  /** Kafka's description of error 118. */
  static readonly description: string =
    "Client sent a push telemetry request larger than the maximum size the broker will accept.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 118)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || TelemetryTooLarge.description, {
      cause: options?.cause,
      code: 118,
      retriable: false,
    });
  }
}

/**
 * Kafka error 119 `INVALID_REGISTRATION`: The controller has considered the broker registration to be invalid.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidRegistration } from "./mod.ts";
 * const err = errorForCode(119);
 * console.assert(err instanceof InvalidRegistration && err.code === InvalidRegistration.code);
 * ```
 */
export class InvalidRegistration extends KafkaError {
  /** The Kafka error code of this class: 119. */
  static readonly code: 119 = 119;
  /** Kafka's description of error 119. */
  static readonly description: string =
    "The controller has considered the broker registration to be invalid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 119)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidRegistration.description, {
      cause: options?.cause,
      code: 119,
      retriable: false,
    });
  }
}

/**
 * Kafka error 120 `TRANSACTION_ABORTABLE`: The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional ID.
 *
 * @example
 * ```ts
 * import { errorForCode, TransactionAbortable } from "./mod.ts";
 * const err = errorForCode(120);
 * console.assert(err instanceof TransactionAbortable && err.code === TransactionAbortable.code);
 * ```
 */
export class TransactionAbortable extends KafkaError {
  /** The Kafka error code of this class: 120. */
  static readonly code: 120 = 120;
  /** Kafka's description of error 120. */
  static readonly description: string =
    "The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional ID.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 120)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || TransactionAbortable.description, {
      cause: options?.cause,
      code: 120,
      retriable: false,
    });
  }
}

/**
 * Kafka error 121 `INVALID_RECORD_STATE`: The record state is invalid. The acknowledgement of delivery could not be completed.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidRecordState } from "./mod.ts";
 * const err = errorForCode(121);
 * console.assert(err instanceof InvalidRecordState && err.code === InvalidRecordState.code);
 * ```
 */
export class InvalidRecordState extends KafkaError {
  /** The Kafka error code of this class: 121. */
  static readonly code: 121 = 121;
  /** Kafka's description of error 121. */
  static readonly description: string =
    "The record state is invalid. The acknowledgement of delivery could not be completed.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 121)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidRecordState.description, {
      cause: options?.cause,
      code: 121,
      retriable: false,
    });
  }
}

/**
 * Kafka error 122 `SHARE_SESSION_NOT_FOUND` (retriable): The share session was not found.
 *
 * @example
 * ```ts
 * import { errorForCode, ShareSessionNotFound } from "./mod.ts";
 * const err = errorForCode(122);
 * console.assert(err instanceof ShareSessionNotFound && err.code === ShareSessionNotFound.code);
 * ```
 */
export class ShareSessionNotFound extends KafkaError {
  /** The Kafka error code of this class: 122. */
  static readonly code: 122 = 122;
  /** Kafka's description of error 122. */
  static readonly description: string = "The share session was not found.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 122)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ShareSessionNotFound.description, {
      cause: options?.cause,
      code: 122,
      retriable: true,
    });
  }
}

/**
 * Kafka error 123 `INVALID_SHARE_SESSION_EPOCH` (retriable): The share session epoch is invalid.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidShareSessionEpoch } from "./mod.ts";
 * const err = errorForCode(123);
 * console.assert(err instanceof InvalidShareSessionEpoch && err.code === InvalidShareSessionEpoch.code);
 * ```
 */
export class InvalidShareSessionEpoch extends KafkaError {
  /** The Kafka error code of this class: 123. */
  static readonly code: 123 = 123;
  /** Kafka's description of error 123. */
  static readonly description: string = "The share session epoch is invalid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 123)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidShareSessionEpoch.description, {
      cause: options?.cause,
      code: 123,
      retriable: true,
    });
  }
}

/**
 * Kafka error 124 `FENCED_STATE_EPOCH`: The coordinator rejected the request because the state epoch did not match.
 *
 * @example
 * ```ts
 * import { errorForCode, FencedStateEpoch } from "./mod.ts";
 * const err = errorForCode(124);
 * console.assert(err instanceof FencedStateEpoch && err.code === FencedStateEpoch.code);
 * ```
 */
export class FencedStateEpoch extends KafkaError {
  /** The Kafka error code of this class: 124. */
  static readonly code: 124 = 124;
  /** Kafka's description of error 124. */
  static readonly description: string =
    "The coordinator rejected the request because the state epoch did not match.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 124)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || FencedStateEpoch.description, {
      cause: options?.cause,
      code: 124,
      retriable: false,
    });
  }
}

/**
 * Kafka error 125 `INVALID_VOTER_KEY`: The voter key doesn't match the receiving replica's key.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidVoterKey } from "./mod.ts";
 * const err = errorForCode(125);
 * console.assert(err instanceof InvalidVoterKey && err.code === InvalidVoterKey.code);
 * ```
 */
export class InvalidVoterKey extends KafkaError {
  /** The Kafka error code of this class: 125. */
  static readonly code: 125 = 125;
  /** Kafka's description of error 125. */
  static readonly description: string =
    "The voter key doesn't match the receiving replica's key.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 125)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidVoterKey.description, {
      cause: options?.cause,
      code: 125,
      retriable: false,
    });
  }
}

/**
 * Kafka error 126 `DUPLICATE_VOTER`: The voter is already part of the set of voters.
 *
 * @example
 * ```ts
 * import { errorForCode, DuplicateVoter } from "./mod.ts";
 * const err = errorForCode(126);
 * console.assert(err instanceof DuplicateVoter && err.code === DuplicateVoter.code);
 * ```
 */
export class DuplicateVoter extends KafkaError {
  /** The Kafka error code of this class: 126. */
  static readonly code: 126 = 126;
  /** Kafka's description of error 126. */
  static readonly description: string =
    "The voter is already part of the set of voters.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 126)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || DuplicateVoter.description, {
      cause: options?.cause,
      code: 126,
      retriable: false,
    });
  }
}

/**
 * Kafka error 127 `VOTER_NOT_FOUND`: The voter is not part of the set of voters.
 *
 * @example
 * ```ts
 * import { errorForCode, VoterNotFound } from "./mod.ts";
 * const err = errorForCode(127);
 * console.assert(err instanceof VoterNotFound && err.code === VoterNotFound.code);
 * ```
 */
export class VoterNotFound extends KafkaError {
  /** The Kafka error code of this class: 127. */
  static readonly code: 127 = 127;
  /** Kafka's description of error 127. */
  static readonly description: string =
    "The voter is not part of the set of voters.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 127)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || VoterNotFound.description, {
      cause: options?.cause,
      code: 127,
      retriable: false,
    });
  }
}

/**
 * Kafka error 128 `INVALID_REGULAR_EXPRESSION`: The regular expression is not valid.
 *
 * @example
 * ```ts
 * import { errorForCode, InvalidRegularExpression } from "./mod.ts";
 * const err = errorForCode(128);
 * console.assert(err instanceof InvalidRegularExpression && err.code === InvalidRegularExpression.code);
 * ```
 */
export class InvalidRegularExpression extends KafkaError {
  /** The Kafka error code of this class: 128. */
  static readonly code: 128 = 128;
  /** Kafka's description of error 128. */
  static readonly description: string = "The regular expression is not valid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 128)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || InvalidRegularExpression.description, {
      cause: options?.cause,
      code: 128,
      retriable: false,
    });
  }
}

/**
 * Kafka error 129 `REBOOTSTRAP_REQUIRED`: Client metadata is stale. The client should rebootstrap to obtain new metadata.
 *
 * @example
 * ```ts
 * import { errorForCode, RebootstrapRequired } from "./mod.ts";
 * const err = errorForCode(129);
 * console.assert(err instanceof RebootstrapRequired && err.code === RebootstrapRequired.code);
 * ```
 */
export class RebootstrapRequired extends KafkaError {
  /** The Kafka error code of this class: 129. */
  static readonly code: 129 = 129;
  /** Kafka's description of error 129. */
  static readonly description: string =
    "Client metadata is stale. The client should rebootstrap to obtain new metadata.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 129)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || RebootstrapRequired.description, {
      cause: options?.cause,
      code: 129,
      retriable: false,
    });
  }
}

/**
 * Kafka error 130 `STREAMS_INVALID_TOPOLOGY`: The supplied topology is invalid.
 *
 * @example
 * ```ts
 * import { errorForCode, StreamsInvalidTopology } from "./mod.ts";
 * const err = errorForCode(130);
 * console.assert(err instanceof StreamsInvalidTopology && err.code === StreamsInvalidTopology.code);
 * ```
 */
export class StreamsInvalidTopology extends KafkaError {
  /** The Kafka error code of this class: 130. */
  static readonly code: 130 = 130;
  /** Kafka's description of error 130. */
  static readonly description: string = "The supplied topology is invalid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 130)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || StreamsInvalidTopology.description, {
      cause: options?.cause,
      code: 130,
      retriable: false,
    });
  }
}

/**
 * Kafka error 131 `STREAMS_INVALID_TOPOLOGY_EPOCH`: The supplied topology epoch is invalid.
 *
 * @example
 * ```ts
 * import { errorForCode, StreamsInvalidTopologyEpoch } from "./mod.ts";
 * const err = errorForCode(131);
 * console.assert(err instanceof StreamsInvalidTopologyEpoch && err.code === StreamsInvalidTopologyEpoch.code);
 * ```
 */
export class StreamsInvalidTopologyEpoch extends KafkaError {
  /** The Kafka error code of this class: 131. */
  static readonly code: 131 = 131;
  /** Kafka's description of error 131. */
  static readonly description: string =
    "The supplied topology epoch is invalid.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 131)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || StreamsInvalidTopologyEpoch.description, {
      cause: options?.cause,
      code: 131,
      retriable: false,
    });
  }
}

/**
 * Kafka error 132 `STREAMS_TOPOLOGY_FENCED`: The supplied topology epoch is outdated.
 *
 * @example
 * ```ts
 * import { errorForCode, StreamsTopologyFenced } from "./mod.ts";
 * const err = errorForCode(132);
 * console.assert(err instanceof StreamsTopologyFenced && err.code === StreamsTopologyFenced.code);
 * ```
 */
export class StreamsTopologyFenced extends KafkaError {
  /** The Kafka error code of this class: 132. */
  static readonly code: 132 = 132;
  /** Kafka's description of error 132. */
  static readonly description: string =
    "The supplied topology epoch is outdated.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 132)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || StreamsTopologyFenced.description, {
      cause: options?.cause,
      code: 132,
      retriable: false,
    });
  }
}

/**
 * Kafka error 133 `SHARE_SESSION_LIMIT_REACHED` (retriable): The limit of share sessions has been reached.
 *
 * @example
 * ```ts
 * import { errorForCode, ShareSessionLimitReached } from "./mod.ts";
 * const err = errorForCode(133);
 * console.assert(err instanceof ShareSessionLimitReached && err.code === ShareSessionLimitReached.code);
 * ```
 */
export class ShareSessionLimitReached extends KafkaError {
  /** The Kafka error code of this class: 133. */
  static readonly code: 133 = 133;
  /** Kafka's description of error 133. */
  static readonly description: string =
    "The limit of share sessions has been reached.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 133)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ShareSessionLimitReached.description, {
      cause: options?.cause,
      code: 133,
      retriable: true,
    });
  }
}

/**
 * Kafka error 134 `GROUP_DELETION_FAILED`: DeleteGroups could not complete; see the error message on the per-group result for details.
 *
 * @example
 * ```ts
 * import { errorForCode, GroupDeletionFailed } from "./mod.ts";
 * const err = errorForCode(134);
 * console.assert(err instanceof GroupDeletionFailed && err.code === GroupDeletionFailed.code);
 * ```
 */
export class GroupDeletionFailed extends KafkaError {
  /** The Kafka error code of this class: 134. */
  static readonly code: 134 = 134;
  /** Kafka's description of error 134. */
  static readonly description: string =
    "DeleteGroups could not complete; see the error message on the per-group result for details.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 134)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || GroupDeletionFailed.description, {
      cause: options?.cause,
      code: 134,
      retriable: false,
    });
  }
}

/**
 * Kafka error 135 `STREAMS_TOPOLOGY_DESCRIPTION_UPDATE_FAILED`: The broker could not process the topology description update; see the error message for details.
 *
 * @example
 * ```ts
 * import { errorForCode, StreamsTopologyDescriptionUpdateFailed } from "./mod.ts";
 * const err = errorForCode(135);
 * console.assert(err instanceof StreamsTopologyDescriptionUpdateFailed && err.code === StreamsTopologyDescriptionUpdateFailed.code);
 * ```
 */
export class StreamsTopologyDescriptionUpdateFailed extends KafkaError {
  /** The Kafka error code of this class: 135. */
  static readonly code: 135 = 135;
  /** Kafka's description of error 135. */
  static readonly description: string =
    "The broker could not process the topology description update; see the error message for details.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 135)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || StreamsTopologyDescriptionUpdateFailed.description, {
      cause: options?.cause,
      code: 135,
      retriable: false,
    });
  }
}

/**
 * Kafka error 136 `CONTROLLER_ID_NOT_REGISTERED`: The given controller ID was not registered.
 *
 * @example
 * ```ts
 * import { errorForCode, ControllerIdNotRegistered } from "./mod.ts";
 * const err = errorForCode(136);
 * console.assert(err instanceof ControllerIdNotRegistered && err.code === ControllerIdNotRegistered.code);
 * ```
 */
export class ControllerIdNotRegistered extends KafkaError {
  /** The Kafka error code of this class: 136. */
  static readonly code: 136 = 136;
  /** Kafka's description of error 136. */
  static readonly description: string =
    "The given controller ID was not registered.";
  /**
   * Creates the error.
   *
   * @param message what went wrong (default: Kafka's description of code 136)
   * @param options `cause`
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message || ControllerIdNotRegistered.description, {
      cause: options?.cause,
      code: 136,
      retriable: false,
    });
  }
}

/** A Kafka error code with its enum name, description and class. */
export interface KafkaErrorCodeInfo {
  /** The numeric code on the wire. */
  readonly code: number;
  /** Kafka's enum name, e.g. `"NOT_LEADER_OR_FOLLOWER"`. */
  readonly name: string;
  /** Kafka's description of the code. */
  readonly message: string;
  /** Whether Kafka's Java client treats the error as retriable. */
  readonly retriable: boolean;
  /** The class {@link errorForCode} instantiates for the code. */
  readonly errorClass: new (
    message?: string,
    options?: ErrorOptions,
  ) => KafkaError;
}

/**
 * Every Kafka error code that Kafka 4.4 defines (except 0, `NONE`), in code
 * order.
 *
 * @example
 * ```ts
 * import { KAFKA_ERROR_CODES } from "./mod.ts";
 * const retriable = KAFKA_ERROR_CODES.filter((e) => e.retriable).map((e) => e.name);
 * ```
 */
export const KAFKA_ERROR_CODES: readonly KafkaErrorCodeInfo[] = [
  {
    code: -1,
    name: "UNKNOWN_SERVER_ERROR",
    message: UnknownServerError.description,
    retriable: false,
    errorClass: UnknownServerError,
  },
  {
    code: 1,
    name: "OFFSET_OUT_OF_RANGE",
    message: OffsetOutOfRange.description,
    retriable: false,
    errorClass: OffsetOutOfRange,
  },
  {
    code: 2,
    name: "CORRUPT_MESSAGE",
    message: CorruptMessage.description,
    retriable: true,
    errorClass: CorruptMessage,
  },
  {
    code: 3,
    name: "UNKNOWN_TOPIC_OR_PARTITION",
    message: UnknownTopicOrPartition.description,
    retriable: true,
    errorClass: UnknownTopicOrPartition,
  },
  {
    code: 4,
    name: "INVALID_FETCH_SIZE",
    message: InvalidFetchSize.description,
    retriable: false,
    errorClass: InvalidFetchSize,
  },
  {
    code: 5,
    name: "LEADER_NOT_AVAILABLE",
    message: LeaderNotAvailable.description,
    retriable: true,
    errorClass: LeaderNotAvailable,
  },
  {
    code: 6,
    name: "NOT_LEADER_OR_FOLLOWER",
    message: NotLeaderOrFollower.description,
    retriable: true,
    errorClass: NotLeaderOrFollower,
  },
  {
    code: 7,
    name: "REQUEST_TIMED_OUT",
    message: RequestTimedOut.description,
    retriable: true,
    errorClass: RequestTimedOut,
  },
  {
    code: 8,
    name: "BROKER_NOT_AVAILABLE",
    message: BrokerNotAvailable.description,
    retriable: false,
    errorClass: BrokerNotAvailable,
  },
  {
    code: 9,
    name: "REPLICA_NOT_AVAILABLE",
    message: ReplicaNotAvailable.description,
    retriable: true,
    errorClass: ReplicaNotAvailable,
  },
  {
    code: 10,
    name: "MESSAGE_TOO_LARGE",
    message: MessageTooLarge.description,
    retriable: false,
    errorClass: MessageTooLarge,
  },
  {
    code: 11,
    name: "STALE_CONTROLLER_EPOCH",
    message: StaleControllerEpoch.description,
    retriable: false,
    errorClass: StaleControllerEpoch,
  },
  {
    code: 12,
    name: "OFFSET_METADATA_TOO_LARGE",
    message: OffsetMetadataTooLarge.description,
    retriable: false,
    errorClass: OffsetMetadataTooLarge,
  },
  {
    code: 13,
    name: "NETWORK_EXCEPTION",
    message: NetworkException.description,
    retriable: true,
    errorClass: NetworkException,
  },
  {
    code: 14,
    name: "COORDINATOR_LOAD_IN_PROGRESS",
    message: CoordinatorLoadInProgress.description,
    retriable: true,
    errorClass: CoordinatorLoadInProgress,
  },
  {
    code: 15,
    name: "COORDINATOR_NOT_AVAILABLE",
    message: CoordinatorNotAvailable.description,
    retriable: true,
    errorClass: CoordinatorNotAvailable,
  },
  {
    code: 16,
    name: "NOT_COORDINATOR",
    message: NotCoordinator.description,
    retriable: true,
    errorClass: NotCoordinator,
  },
  {
    code: 17,
    name: "INVALID_TOPIC_EXCEPTION",
    message: InvalidTopicException.description,
    retriable: false,
    errorClass: InvalidTopicException,
  },
  {
    code: 18,
    name: "RECORD_LIST_TOO_LARGE",
    message: RecordListTooLarge.description,
    retriable: false,
    errorClass: RecordListTooLarge,
  },
  {
    code: 19,
    name: "NOT_ENOUGH_REPLICAS",
    message: NotEnoughReplicas.description,
    retriable: true,
    errorClass: NotEnoughReplicas,
  },
  {
    code: 20,
    name: "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
    message: NotEnoughReplicasAfterAppend.description,
    retriable: true,
    errorClass: NotEnoughReplicasAfterAppend,
  },
  {
    code: 21,
    name: "INVALID_REQUIRED_ACKS",
    message: InvalidRequiredAcks.description,
    retriable: false,
    errorClass: InvalidRequiredAcks,
  },
  {
    code: 22,
    name: "ILLEGAL_GENERATION",
    message: IllegalGeneration.description,
    retriable: false,
    errorClass: IllegalGeneration,
  },
  {
    code: 23,
    name: "INCONSISTENT_GROUP_PROTOCOL",
    message: InconsistentGroupProtocol.description,
    retriable: false,
    errorClass: InconsistentGroupProtocol,
  },
  {
    code: 24,
    name: "INVALID_GROUP_ID",
    message: InvalidGroupId.description,
    retriable: false,
    errorClass: InvalidGroupId,
  },
  {
    code: 25,
    name: "UNKNOWN_MEMBER_ID",
    message: UnknownMemberId.description,
    retriable: false,
    errorClass: UnknownMemberId,
  },
  {
    code: 26,
    name: "INVALID_SESSION_TIMEOUT",
    message: InvalidSessionTimeout.description,
    retriable: false,
    errorClass: InvalidSessionTimeout,
  },
  {
    code: 27,
    name: "REBALANCE_IN_PROGRESS",
    message: RebalanceInProgress.description,
    retriable: false,
    errorClass: RebalanceInProgress,
  },
  {
    code: 28,
    name: "INVALID_COMMIT_OFFSET_SIZE",
    message: InvalidCommitOffsetSize.description,
    retriable: false,
    errorClass: InvalidCommitOffsetSize,
  },
  {
    code: 29,
    name: "TOPIC_AUTHORIZATION_FAILED",
    message: TopicAuthorizationFailed.description,
    retriable: false,
    errorClass: TopicAuthorizationFailed,
  },
  {
    code: 30,
    name: "GROUP_AUTHORIZATION_FAILED",
    message: GroupAuthorizationFailed.description,
    retriable: false,
    errorClass: GroupAuthorizationFailed,
  },
  {
    code: 31,
    name: "CLUSTER_AUTHORIZATION_FAILED",
    message: ClusterAuthorizationFailed.description,
    retriable: false,
    errorClass: ClusterAuthorizationFailed,
  },
  {
    code: 32,
    name: "INVALID_TIMESTAMP",
    message: InvalidTimestamp.description,
    retriable: false,
    errorClass: InvalidTimestamp,
  },
  {
    code: 33,
    name: "UNSUPPORTED_SASL_MECHANISM",
    message: UnsupportedSaslMechanism.description,
    retriable: false,
    errorClass: UnsupportedSaslMechanism,
  },
  {
    code: 34,
    name: "ILLEGAL_SASL_STATE",
    message: IllegalSaslState.description,
    retriable: false,
    errorClass: IllegalSaslState,
  },
  {
    code: 35,
    name: "UNSUPPORTED_VERSION",
    message: UnsupportedVersion.description,
    retriable: false,
    errorClass: UnsupportedVersion,
  },
  {
    code: 36,
    name: "TOPIC_ALREADY_EXISTS",
    message: TopicAlreadyExists.description,
    retriable: false,
    errorClass: TopicAlreadyExists,
  },
  {
    code: 37,
    name: "INVALID_PARTITIONS",
    message: InvalidPartitions.description,
    retriable: false,
    errorClass: InvalidPartitions,
  },
  {
    code: 38,
    name: "INVALID_REPLICATION_FACTOR",
    message: InvalidReplicationFactor.description,
    retriable: false,
    errorClass: InvalidReplicationFactor,
  },
  {
    code: 39,
    name: "INVALID_REPLICA_ASSIGNMENT",
    message: InvalidReplicaAssignment.description,
    retriable: false,
    errorClass: InvalidReplicaAssignment,
  },
  {
    code: 40,
    name: "INVALID_CONFIG",
    message: InvalidConfig.description,
    retriable: false,
    errorClass: InvalidConfig,
  },
  {
    code: 41,
    name: "NOT_CONTROLLER",
    message: NotController.description,
    retriable: true,
    errorClass: NotController,
  },
  {
    code: 42,
    name: "INVALID_REQUEST",
    message: InvalidRequest.description,
    retriable: false,
    errorClass: InvalidRequest,
  },
  {
    code: 43,
    name: "UNSUPPORTED_FOR_MESSAGE_FORMAT",
    message: UnsupportedForMessageFormat.description,
    retriable: false,
    errorClass: UnsupportedForMessageFormat,
  },
  {
    code: 44,
    name: "POLICY_VIOLATION",
    message: PolicyViolation.description,
    retriable: false,
    errorClass: PolicyViolation,
  },
  {
    code: 45,
    name: "OUT_OF_ORDER_SEQUENCE_NUMBER",
    message: OutOfOrderSequenceNumber.description,
    retriable: false,
    errorClass: OutOfOrderSequenceNumber,
  },
  {
    code: 46,
    name: "DUPLICATE_SEQUENCE_NUMBER",
    message: DuplicateSequenceNumber.description,
    retriable: false,
    errorClass: DuplicateSequenceNumber,
  },
  {
    code: 47,
    name: "INVALID_PRODUCER_EPOCH",
    message: InvalidProducerEpoch.description,
    retriable: false,
    errorClass: InvalidProducerEpoch,
  },
  {
    code: 48,
    name: "INVALID_TXN_STATE",
    message: InvalidTxnState.description,
    retriable: false,
    errorClass: InvalidTxnState,
  },
  {
    code: 49,
    name: "INVALID_PRODUCER_ID_MAPPING",
    message: InvalidProducerIdMapping.description,
    retriable: false,
    errorClass: InvalidProducerIdMapping,
  },
  {
    code: 50,
    name: "INVALID_TRANSACTION_TIMEOUT",
    message: InvalidTransactionTimeout.description,
    retriable: false,
    errorClass: InvalidTransactionTimeout,
  },
  {
    code: 51,
    name: "CONCURRENT_TRANSACTIONS",
    message: ConcurrentTransactions.description,
    retriable: true,
    errorClass: ConcurrentTransactions,
  },
  {
    code: 52,
    name: "TRANSACTION_COORDINATOR_FENCED",
    message: TransactionCoordinatorFenced.description,
    retriable: false,
    errorClass: TransactionCoordinatorFenced,
  },
  {
    code: 53,
    name: "TRANSACTIONAL_ID_AUTHORIZATION_FAILED",
    message: TransactionalIdAuthorizationFailed.description,
    retriable: false,
    errorClass: TransactionalIdAuthorizationFailed,
  },
  {
    code: 54,
    name: "SECURITY_DISABLED",
    message: SecurityDisabled.description,
    retriable: false,
    errorClass: SecurityDisabled,
  },
  {
    code: 55,
    name: "OPERATION_NOT_ATTEMPTED",
    message: OperationNotAttempted.description,
    retriable: false,
    errorClass: OperationNotAttempted,
  },
  {
    code: 56,
    name: "KAFKA_STORAGE_ERROR",
    message: KafkaStorageError.description,
    retriable: true,
    errorClass: KafkaStorageError,
  },
  {
    code: 57,
    name: "LOG_DIR_NOT_FOUND",
    message: LogDirNotFound.description,
    retriable: false,
    errorClass: LogDirNotFound,
  },
  {
    code: 58,
    name: "SASL_AUTHENTICATION_FAILED",
    message: SaslAuthenticationFailed.description,
    retriable: false,
    errorClass: SaslAuthenticationFailed,
  },
  {
    code: 59,
    name: "UNKNOWN_PRODUCER_ID",
    message: UnknownProducerId.description,
    retriable: false,
    errorClass: UnknownProducerId,
  },
  {
    code: 60,
    name: "REASSIGNMENT_IN_PROGRESS",
    message: ReassignmentInProgress.description,
    retriable: false,
    errorClass: ReassignmentInProgress,
  },
  {
    code: 61,
    name: "DELEGATION_TOKEN_AUTH_DISABLED",
    message: DelegationTokenAuthDisabled.description,
    retriable: false,
    errorClass: DelegationTokenAuthDisabled,
  },
  {
    code: 62,
    name: "DELEGATION_TOKEN_NOT_FOUND",
    message: DelegationTokenNotFound.description,
    retriable: false,
    errorClass: DelegationTokenNotFound,
  },
  {
    code: 63,
    name: "DELEGATION_TOKEN_OWNER_MISMATCH",
    message: DelegationTokenOwnerMismatch.description,
    retriable: false,
    errorClass: DelegationTokenOwnerMismatch,
  },
  {
    code: 64,
    name: "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED",
    message: DelegationTokenRequestNotAllowed.description,
    retriable: false,
    errorClass: DelegationTokenRequestNotAllowed,
  },
  {
    code: 65,
    name: "DELEGATION_TOKEN_AUTHORIZATION_FAILED",
    message: DelegationTokenAuthorizationFailed.description,
    retriable: false,
    errorClass: DelegationTokenAuthorizationFailed,
  },
  {
    code: 66,
    name: "DELEGATION_TOKEN_EXPIRED",
    message: DelegationTokenExpired.description,
    retriable: false,
    errorClass: DelegationTokenExpired,
  },
  {
    code: 67,
    name: "INVALID_PRINCIPAL_TYPE",
    message: InvalidPrincipalType.description,
    retriable: false,
    errorClass: InvalidPrincipalType,
  },
  {
    code: 68,
    name: "NON_EMPTY_GROUP",
    message: NonEmptyGroup.description,
    retriable: false,
    errorClass: NonEmptyGroup,
  },
  {
    code: 69,
    name: "GROUP_ID_NOT_FOUND",
    message: GroupIdNotFound.description,
    retriable: false,
    errorClass: GroupIdNotFound,
  },
  {
    code: 70,
    name: "FETCH_SESSION_ID_NOT_FOUND",
    message: FetchSessionIdNotFound.description,
    retriable: true,
    errorClass: FetchSessionIdNotFound,
  },
  {
    code: 71,
    name: "INVALID_FETCH_SESSION_EPOCH",
    message: InvalidFetchSessionEpoch.description,
    retriable: true,
    errorClass: InvalidFetchSessionEpoch,
  },
  {
    code: 72,
    name: "LISTENER_NOT_FOUND",
    message: ListenerNotFound.description,
    retriable: true,
    errorClass: ListenerNotFound,
  },
  {
    code: 73,
    name: "TOPIC_DELETION_DISABLED",
    message: TopicDeletionDisabled.description,
    retriable: false,
    errorClass: TopicDeletionDisabled,
  },
  {
    code: 74,
    name: "FENCED_LEADER_EPOCH",
    message: FencedLeaderEpoch.description,
    retriable: true,
    errorClass: FencedLeaderEpoch,
  },
  {
    code: 75,
    name: "UNKNOWN_LEADER_EPOCH",
    message: UnknownLeaderEpoch.description,
    retriable: true,
    errorClass: UnknownLeaderEpoch,
  },
  {
    code: 76,
    name: "UNSUPPORTED_COMPRESSION_TYPE",
    message: UnsupportedCompressionType.description,
    retriable: false,
    errorClass: UnsupportedCompressionType,
  },
  {
    code: 77,
    name: "STALE_BROKER_EPOCH",
    message: StaleBrokerEpoch.description,
    retriable: false,
    errorClass: StaleBrokerEpoch,
  },
  {
    code: 78,
    name: "OFFSET_NOT_AVAILABLE",
    message: OffsetNotAvailable.description,
    retriable: true,
    errorClass: OffsetNotAvailable,
  },
  {
    code: 79,
    name: "MEMBER_ID_REQUIRED",
    message: MemberIdRequired.description,
    retriable: false,
    errorClass: MemberIdRequired,
  },
  {
    code: 80,
    name: "PREFERRED_LEADER_NOT_AVAILABLE",
    message: PreferredLeaderNotAvailable.description,
    retriable: true,
    errorClass: PreferredLeaderNotAvailable,
  },
  {
    code: 81,
    name: "GROUP_MAX_SIZE_REACHED",
    message: GroupMaxSizeReached.description,
    retriable: false,
    errorClass: GroupMaxSizeReached,
  },
  {
    code: 82,
    name: "FENCED_INSTANCE_ID",
    message: FencedInstanceId.description,
    retriable: false,
    errorClass: FencedInstanceId,
  },
  {
    code: 83,
    name: "ELIGIBLE_LEADERS_NOT_AVAILABLE",
    message: EligibleLeadersNotAvailable.description,
    retriable: true,
    errorClass: EligibleLeadersNotAvailable,
  },
  {
    code: 84,
    name: "ELECTION_NOT_NEEDED",
    message: ElectionNotNeeded.description,
    retriable: true,
    errorClass: ElectionNotNeeded,
  },
  {
    code: 85,
    name: "NO_REASSIGNMENT_IN_PROGRESS",
    message: NoReassignmentInProgress.description,
    retriable: false,
    errorClass: NoReassignmentInProgress,
  },
  {
    code: 86,
    name: "GROUP_SUBSCRIBED_TO_TOPIC",
    message: GroupSubscribedToTopic.description,
    retriable: false,
    errorClass: GroupSubscribedToTopic,
  },
  {
    code: 87,
    name: "INVALID_RECORD",
    message: InvalidRecord.description,
    retriable: false,
    errorClass: InvalidRecord,
  },
  {
    code: 88,
    name: "UNSTABLE_OFFSET_COMMIT",
    message: UnstableOffsetCommit.description,
    retriable: true,
    errorClass: UnstableOffsetCommit,
  },
  {
    code: 89,
    name: "THROTTLING_QUOTA_EXCEEDED",
    message: ThrottlingQuotaExceeded.description,
    retriable: true,
    errorClass: ThrottlingQuotaExceeded,
  },
  {
    code: 90,
    name: "PRODUCER_FENCED",
    message: ProducerFenced.description,
    retriable: false,
    errorClass: ProducerFenced,
  },
  {
    code: 91,
    name: "RESOURCE_NOT_FOUND",
    message: ResourceNotFound.description,
    retriable: false,
    errorClass: ResourceNotFound,
  },
  {
    code: 92,
    name: "DUPLICATE_RESOURCE",
    message: DuplicateResource.description,
    retriable: false,
    errorClass: DuplicateResource,
  },
  {
    code: 93,
    name: "UNACCEPTABLE_CREDENTIAL",
    message: UnacceptableCredential.description,
    retriable: false,
    errorClass: UnacceptableCredential,
  },
  {
    code: 94,
    name: "INCONSISTENT_VOTER_SET",
    message: InconsistentVoterSet.description,
    retriable: false,
    errorClass: InconsistentVoterSet,
  },
  {
    code: 95,
    name: "INVALID_UPDATE_VERSION",
    message: InvalidUpdateVersion.description,
    retriable: false,
    errorClass: InvalidUpdateVersion,
  },
  {
    code: 96,
    name: "FEATURE_UPDATE_FAILED",
    message: FeatureUpdateFailed.description,
    retriable: false,
    errorClass: FeatureUpdateFailed,
  },
  {
    code: 97,
    name: "PRINCIPAL_DESERIALIZATION_FAILURE",
    message: PrincipalDeserializationFailure.description,
    retriable: false,
    errorClass: PrincipalDeserializationFailure,
  },
  {
    code: 98,
    name: "SNAPSHOT_NOT_FOUND",
    message: SnapshotNotFound.description,
    retriable: false,
    errorClass: SnapshotNotFound,
  },
  {
    code: 99,
    name: "POSITION_OUT_OF_RANGE",
    message: PositionOutOfRange.description,
    retriable: false,
    errorClass: PositionOutOfRange,
  },
  {
    code: 100,
    name: "UNKNOWN_TOPIC_ID",
    message: UnknownTopicId.description,
    retriable: true,
    errorClass: UnknownTopicId,
  },
  {
    code: 101,
    name: "DUPLICATE_BROKER_REGISTRATION",
    message: DuplicateBrokerRegistration.description,
    retriable: false,
    errorClass: DuplicateBrokerRegistration,
  },
  {
    code: 102,
    name: "BROKER_ID_NOT_REGISTERED",
    message: BrokerIdNotRegistered.description,
    retriable: false,
    errorClass: BrokerIdNotRegistered,
  },
  {
    code: 103,
    name: "INCONSISTENT_TOPIC_ID",
    message: InconsistentTopicId.description,
    retriable: true,
    errorClass: InconsistentTopicId,
  },
  {
    code: 104,
    name: "INCONSISTENT_CLUSTER_ID",
    message: InconsistentClusterId.description,
    retriable: false,
    errorClass: InconsistentClusterId,
  },
  {
    code: 105,
    name: "TRANSACTIONAL_ID_NOT_FOUND",
    message: TransactionalIdNotFound.description,
    retriable: false,
    errorClass: TransactionalIdNotFound,
  },
  {
    code: 106,
    name: "FETCH_SESSION_TOPIC_ID_ERROR",
    message: FetchSessionTopicIdError.description,
    retriable: true,
    errorClass: FetchSessionTopicIdError,
  },
  {
    code: 107,
    name: "INELIGIBLE_REPLICA",
    message: IneligibleReplica.description,
    retriable: false,
    errorClass: IneligibleReplica,
  },
  {
    code: 108,
    name: "NEW_LEADER_ELECTED",
    message: NewLeaderElected.description,
    retriable: false,
    errorClass: NewLeaderElected,
  },
  {
    code: 109,
    name: "OFFSET_MOVED_TO_TIERED_STORAGE",
    message: OffsetMovedToTieredStorage.description,
    retriable: false,
    errorClass: OffsetMovedToTieredStorage,
  },
  {
    code: 110,
    name: "FENCED_MEMBER_EPOCH",
    message: FencedMemberEpoch.description,
    retriable: false,
    errorClass: FencedMemberEpoch,
  },
  {
    code: 111,
    name: "UNRELEASED_INSTANCE_ID",
    message: UnreleasedInstanceId.description,
    retriable: false,
    errorClass: UnreleasedInstanceId,
  },
  {
    code: 112,
    name: "UNSUPPORTED_ASSIGNOR",
    message: UnsupportedAssignor.description,
    retriable: false,
    errorClass: UnsupportedAssignor,
  },
  {
    code: 113,
    name: "STALE_MEMBER_EPOCH",
    message: StaleMemberEpoch.description,
    retriable: false,
    errorClass: StaleMemberEpoch,
  },
  {
    code: 114,
    name: "MISMATCHED_ENDPOINT_TYPE",
    message: MismatchedEndpointType.description,
    retriable: false,
    errorClass: MismatchedEndpointType,
  },
  {
    code: 115,
    name: "UNSUPPORTED_ENDPOINT_TYPE",
    message: UnsupportedEndpointType.description,
    retriable: false,
    errorClass: UnsupportedEndpointType,
  },
  {
    code: 116,
    name: "UNKNOWN_CONTROLLER_ID",
    message: UnknownControllerId.description,
    retriable: false,
    errorClass: UnknownControllerId,
  },
  {
    code: 117,
    name: "UNKNOWN_SUBSCRIPTION_ID",
    message: UnknownSubscriptionId.description,
    retriable: false,
    errorClass: UnknownSubscriptionId,
  },
  {
    code: 118,
    name: "TELEMETRY_TOO_LARGE",
    message: TelemetryTooLarge.description,
    retriable: false,
    errorClass: TelemetryTooLarge,
  },
  {
    code: 119,
    name: "INVALID_REGISTRATION",
    message: InvalidRegistration.description,
    retriable: false,
    errorClass: InvalidRegistration,
  },
  {
    code: 120,
    name: "TRANSACTION_ABORTABLE",
    message: TransactionAbortable.description,
    retriable: false,
    errorClass: TransactionAbortable,
  },
  {
    code: 121,
    name: "INVALID_RECORD_STATE",
    message: InvalidRecordState.description,
    retriable: false,
    errorClass: InvalidRecordState,
  },
  {
    code: 122,
    name: "SHARE_SESSION_NOT_FOUND",
    message: ShareSessionNotFound.description,
    retriable: true,
    errorClass: ShareSessionNotFound,
  },
  {
    code: 123,
    name: "INVALID_SHARE_SESSION_EPOCH",
    message: InvalidShareSessionEpoch.description,
    retriable: true,
    errorClass: InvalidShareSessionEpoch,
  },
  {
    code: 124,
    name: "FENCED_STATE_EPOCH",
    message: FencedStateEpoch.description,
    retriable: false,
    errorClass: FencedStateEpoch,
  },
  {
    code: 125,
    name: "INVALID_VOTER_KEY",
    message: InvalidVoterKey.description,
    retriable: false,
    errorClass: InvalidVoterKey,
  },
  {
    code: 126,
    name: "DUPLICATE_VOTER",
    message: DuplicateVoter.description,
    retriable: false,
    errorClass: DuplicateVoter,
  },
  {
    code: 127,
    name: "VOTER_NOT_FOUND",
    message: VoterNotFound.description,
    retriable: false,
    errorClass: VoterNotFound,
  },
  {
    code: 128,
    name: "INVALID_REGULAR_EXPRESSION",
    message: InvalidRegularExpression.description,
    retriable: false,
    errorClass: InvalidRegularExpression,
  },
  {
    code: 129,
    name: "REBOOTSTRAP_REQUIRED",
    message: RebootstrapRequired.description,
    retriable: false,
    errorClass: RebootstrapRequired,
  },
  {
    code: 130,
    name: "STREAMS_INVALID_TOPOLOGY",
    message: StreamsInvalidTopology.description,
    retriable: false,
    errorClass: StreamsInvalidTopology,
  },
  {
    code: 131,
    name: "STREAMS_INVALID_TOPOLOGY_EPOCH",
    message: StreamsInvalidTopologyEpoch.description,
    retriable: false,
    errorClass: StreamsInvalidTopologyEpoch,
  },
  {
    code: 132,
    name: "STREAMS_TOPOLOGY_FENCED",
    message: StreamsTopologyFenced.description,
    retriable: false,
    errorClass: StreamsTopologyFenced,
  },
  {
    code: 133,
    name: "SHARE_SESSION_LIMIT_REACHED",
    message: ShareSessionLimitReached.description,
    retriable: true,
    errorClass: ShareSessionLimitReached,
  },
  {
    code: 134,
    name: "GROUP_DELETION_FAILED",
    message: GroupDeletionFailed.description,
    retriable: false,
    errorClass: GroupDeletionFailed,
  },
  {
    code: 135,
    name: "STREAMS_TOPOLOGY_DESCRIPTION_UPDATE_FAILED",
    message: StreamsTopologyDescriptionUpdateFailed.description,
    retriable: false,
    errorClass: StreamsTopologyDescriptionUpdateFailed,
  },
  {
    code: 136,
    name: "CONTROLLER_ID_NOT_REGISTERED",
    message: ControllerIdNotRegistered.description,
    retriable: false,
    errorClass: ControllerIdNotRegistered,
  },
];
