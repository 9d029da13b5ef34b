/**
 * {@linkcode IsolationLevel}: which transactional records a consumer sees.
 *
 * @module
 */

/**
 * The isolation level of a consumer's fetches (Kafka's `isolation.level`,
 * Fetch v4+ / Kafka 0.11+):
 *
 * - `READ_UNCOMMITTED` (0, the default): every data record, including those
 *   of transactions that were aborted or are still open.
 * - `READ_COMMITTED` (1): only records of committed transactions and
 *   non-transactional records, up to the last stable offset; records of
 *   aborted transactions are left out.
 *
 * Transaction markers (control records) are never returned at either level.
 *
 * @example
 * ```ts
 * import { IsolationLevel } from "./isolation_level.ts";
 * const level: IsolationLevel = IsolationLevel.READ_COMMITTED;
 * console.assert(level === 1);
 * ```
 */
export const IsolationLevel: {
  /** Every data record, aborted transactions included (0). */
  readonly READ_UNCOMMITTED: 0;
  /** Only committed and non-transactional records (1). */
  readonly READ_COMMITTED: 1;
} = Object.freeze({ READ_UNCOMMITTED: 0, READ_COMMITTED: 1 } as const);

/** `IsolationLevel.READ_UNCOMMITTED` (0) or `IsolationLevel.READ_COMMITTED` (1). */
export type IsolationLevel = typeof IsolationLevel[keyof typeof IsolationLevel];
