// The groupings of Kafka's broker error codes, after the exception families
// of Kafka's Java client. Which code extends which grouping is a column of
// tools/codegen/specs/errors.json; the code classes are generated into
// broker_errors.ts.
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
