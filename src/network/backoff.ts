/**
 * Exponential backoff with jitter and an abortable sleep: the library's one
 * retry policy lives in `src/util/retry.ts`; this module keeps the network
 * layer's public names.
 *
 * @module
 */
export { backoffDelay, type BackoffOptions, sleep } from "../util/retry.ts";
