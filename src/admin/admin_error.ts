/**
 * {@linkcode AdminError}: an admin operation failed for some of its items.
 *
 * @module
 */

import { KafkaError } from "../errors/mod.ts";

/**
 * An admin operation (create topics, delete groups, ...) failed for one or
 * more of its items. `failures` maps each failed item (topic name, group
 * id, `"type:name"` of a config resource) to its own error (e.g.
 * `TopicAlreadyExists`); items not in it succeeded. `code` and `cause` are
 * those of the first failure; `retriable` is true only when every failure
 * is retriable.
 *
 * @example
 * ```ts
 * import { AdminError } from "./admin_error.ts";
 * import { errorForCode, TopicAlreadyExists } from "../errors/mod.ts";
 * const err = new AdminError("createTopics", new Map([["t", errorForCode(36)]]));
 * console.assert(err.failures.get("t") instanceof TopicAlreadyExists && err.code === 36);
 * ```
 */
export class AdminError extends KafkaError {
  /** Each failed item and its error. */
  readonly failures: ReadonlyMap<string, KafkaError>;

  /**
   * Creates the error.
   *
   * @param operation the admin operation, for the message
   * @param failures each failed item and its error (at least one)
   */
  constructor(operation: string, failures: ReadonlyMap<string, KafkaError>) {
    const first = failures.values().next().value;
    super(
      `${operation} failed for ${
        [...failures].map(([k, e]) => `${k} (${e.name}: ${e.message})`).join(
          "; ",
        )
      }`,
      {
        code: first?.code,
        retriable: failures.size > 0 &&
          [...failures.values()].every((e) => e.retriable),
        cause: first,
      },
    );
    this.failures = failures;
  }
}
