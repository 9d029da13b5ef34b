import { KafkaError } from "./kafka_error.ts";
import { KAFKA_ERROR_CODES, type KafkaErrorCodeInfo } from "./broker_errors.ts";

// Indexed by code + 1 (codes run from -1 upwards with no gaps worth a Map).
const BY_CODE: (KafkaErrorCodeInfo | undefined)[] = [];
for (const info of KAFKA_ERROR_CODES) BY_CODE[info.code + 1] = info;

/**
 * What Kafka defines for an error code: enum name, description, retriable
 * flag and the class {@link errorForCode} uses. `undefined` for codes this
 * library does not know (and for 0, `NONE`).
 *
 * @example
 * ```ts
 * import { errorInfo } from "./mod.ts";
 * console.assert(errorInfo(6)?.name === "NOT_LEADER_OR_FOLLOWER");
 * console.assert(errorInfo(9999) === undefined);
 * ```
 */
export function errorInfo(code: number): KafkaErrorCodeInfo | undefined {
  return Number.isInteger(code) ? BY_CODE[code + 1] : undefined;
}

/**
 * The error for a Kafka error code from a response: an instance of the
 * code's class (e.g. `NotLeaderOrFollowerError` for 6), with `code`, Kafka's
 * `retriable` flag and `message` (the broker's error message when given,
 * else Kafka's description of the code).
 *
 * A code this library does not know (a newer broker's) gives a plain
 * {@link KafkaError} carrying the number, not retriable: never an exception
 * of another kind.
 *
 * Code 0 means "no error": check `errorCode !== 0` before calling. If 0 is
 * passed anyway, the result is a plain `KafkaError` with code 0 (and not an
 * exception), so that a bug in the caller still surfaces as an error.
 *
 * @param code the error code from the response
 * @param message the broker's error message, if the response has one
 * @param options `cause`
 *
 * @example
 * ```ts
 * import { errorForCode, NotLeaderOrFollowerError } from "./mod.ts";
 * const errorCode: number = 6; // from a ProduceResponse partition
 * if (errorCode !== 0) {
 *   const err = errorForCode(errorCode);
 *   console.assert(err instanceof NotLeaderOrFollowerError && err.retriable);
 * }
 * ```
 */
export function errorForCode(
  code: number,
  message?: string | null,
  options?: ErrorOptions,
): KafkaError {
  const info = errorInfo(code);
  if (info !== undefined) {
    return new info.errorClass(message ?? undefined, options);
  }
  return new KafkaError(
    message ||
      (code === 0
        ? "errorForCode called with code 0 (NONE), which is not an error"
        : `Unknown Kafka error code ${code}`),
    { cause: options?.cause, code, retriable: false },
  );
}
