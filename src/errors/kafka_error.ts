/**
 * The code carried by errors that have no Kafka error code of their own
 * (client-side conditions such as a full producer queue or malformed bytes).
 *
 * It is the number of Kafka's `UNKNOWN_SERVER_ERROR` (code -1), which means
 * "no more specific Kafka error". Tell the two apart with `instanceof`, never
 * by `code` alone.
 *
 * @example
 * ```ts
 * import { NO_KAFKA_CODE, ProducerQueueFullError } from "./mod.ts";
 * console.assert(new ProducerQueueFullError().code === NO_KAFKA_CODE);
 * ```
 */
export const NO_KAFKA_CODE: -1 = -1;

/** Options of {@link KafkaError}: the standard `cause` plus code and retriable flag. */
export interface KafkaErrorOptions extends ErrorOptions {
  /** Kafka's numeric error code (default {@link NO_KAFKA_CODE}, i.e. -1). */
  code?: number;
  /** Whether repeating the operation may succeed (default `false`). */
  retriable?: boolean;
}

/**
 * The base class of every error this library throws on purpose.
 *
 * - `code` is Kafka's numeric error code. Errors decoded from a broker carry
 *   the code the broker sent (one subclass per code, see `errorForCode`).
 *   Client-side errors carry the Kafka code of the same condition when Kafka
 *   has one (a client-side request timeout is 7 `REQUEST_TIMED_OUT`, a dropped
 *   connection 13 `NETWORK_EXCEPTION`, a failed SASL login 58
 *   `SASL_AUTHENTICATION_FAILED`, a CRC mismatch 2 `CORRUPT_MESSAGE`), and
 *   {@link NO_KAFKA_CODE} (-1) otherwise.
 * - `retriable` says whether repeating the same operation may succeed
 *   (possibly after a metadata refresh). For broker codes it follows Kafka's
 *   Java client (`RetriableException`).
 * - `name` is the canonical class name (never an alias), so `String(err)`
 *   reads like `NotLeaderOrFollowerError: For requests intended only for the
 *   leader...`.
 * - `cause` is the standard `Error` cause.
 *
 * @example
 * ```ts
 * import { KafkaError } from "./mod.ts";
 * try {
 *   throw new KafkaError("something failed", { code: 7, retriable: true });
 * } catch (err) {
 *   if (err instanceof KafkaError && err.retriable) {
 *     // back off and try again
 *   }
 * }
 * ```
 */
export class KafkaError extends Error {
  /** Kafka's numeric error code, or -1 ({@link NO_KAFKA_CODE}) when there is none. */
  readonly code: number;
  /** Whether repeating the operation may succeed. */
  readonly retriable: boolean;

  /**
   * Creates the error.
   *
   * @param message what went wrong
   * @param options `code` (default -1), `retriable` (default `false`) and `cause`
   */
  constructor(message?: string, options?: KafkaErrorOptions) {
    super(
      message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.code = options?.code ?? NO_KAFKA_CODE;
    this.retriable = options?.retriable ?? false;
  }
}
