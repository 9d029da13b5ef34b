/**
 * The package version, in one place for every layer (sent to brokers as
 * ClientSoftwareVersion in ApiVersions, exported from `mod.ts`). Keep it
 * equal to `version` in deno.json; `version_test.ts` checks that.
 *
 * @module
 */

/**
 * The version of this package.
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 * console.log(`denokafka ${VERSION}`);
 * ```
 */
export const VERSION = "0.1.0";
