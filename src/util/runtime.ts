/**
 * What the library needs from its runtime, in one place, so that the same
 * code runs on Deno, Node (20 and later) and Bun: the `Deno` namespace when
 * there is one, and a fallback through Node's built-in modules (which Bun
 * provides too) when there is not. Nothing else in `src/` touches `Deno.*`
 * except the Deno socket transport, which only runs when {@linkcode deno}
 * is set.
 *
 * @module
 */

/** The `Deno` namespace when running on Deno, else `undefined`. */
export const deno: typeof Deno | undefined =
  (globalThis as { Deno?: typeof Deno }).Deno;

interface NodeProcess {
  getBuiltinModule?: (name: string) => unknown;
}

/**
 * A Node built-in module without a static import (so Deno never loads its
 * Node compatibility layer for it): `process.getBuiltinModule` (Node 20.16+,
 * 22.3+, Bun). `undefined` where it is not available.
 */
function nodeBuiltin<T>(name: string): T | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  try {
    return p?.getBuiltinModule?.(name) as T | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lets the process exit while `timer` is pending (a periodic metadata
 * refresh must not keep a script alive): `Deno.unrefTimer` on Deno, the
 * timer object's `unref()` on Node and Bun.
 *
 * @example
 * ```ts
 * import { unrefTimer } from "./runtime.ts";
 * const t = setInterval(() => {}, 60_000);
 * unrefTimer(t);
 * clearInterval(t);
 * ```
 */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  if (deno) {
    deno.unrefTimer(timer as unknown as number);
    return;
  }
  (timer as unknown as { unref?: () => void }).unref?.();
}

let hostnameCache: string | undefined;

/**
 * This machine's host name, or `""` when it cannot be read without asking
 * for a permission: on Deno only when `--allow-sys` (hostname) is already
 * granted (it never prompts); on Node and Bun from `node:os`.
 *
 * @example
 * ```ts
 * import { hostname } from "./runtime.ts";
 * console.assert(typeof hostname() === "string");
 * ```
 */
export function hostname(): string {
  if (hostnameCache !== undefined) return hostnameCache;
  try {
    if (deno) {
      const state = deno.permissions.querySync({
        name: "sys",
        kind: "hostname",
      }).state;
      hostnameCache = state === "granted" ? deno.hostname() : "";
    } else {
      hostnameCache = nodeBuiltin<{ hostname(): string }>("node:os")
        ?.hostname() ?? "";
    }
  } catch {
    hostnameCache = "";
  }
  return hostnameCache;
}

/**
 * Reads a UTF-8 text file: `Deno.readTextFile` (needs `--allow-read`) on
 * Deno, `node:fs/promises` elsewhere.
 *
 * @example
 * ```ts
 * import { readTextFile } from "./runtime.ts";
 * const path = await Deno.makeTempFile({ suffix: ".pem" });
 * try {
 *   await Deno.writeTextFile(path, "-----BEGIN CERTIFICATE-----\n");
 *   const pem = await readTextFile(path);
 *   console.log(pem); // "-----BEGIN CERTIFICATE-----\n"
 * } finally {
 *   await Deno.remove(path);
 * }
 * ```
 */
export async function readTextFile(path: string): Promise<string> {
  if (deno) return await deno.readTextFile(path);
  const fs = await import("node:fs/promises");
  return await fs.readFile(path, "utf8");
}

/**
 * Whether `e` is Deno refusing an operation for lack of a permission
 * (`Deno.errors.NotCapable` since Deno 2; a `PermissionDenied` saying
 * "Requires ... access" before).
 *
 * @example
 * ```ts
 * import { isPermissionError } from "./runtime.ts";
 * console.assert(isPermissionError(new Deno.errors.NotCapable("no")));
 * console.assert(!isPermissionError(new Error("no")));
 * ```
 */
export function isPermissionError(e: unknown): boolean {
  if (!deno) return false;
  const errors = deno.errors as unknown as Record<string, unknown>;
  const notCapable = errors.NotCapable;
  if (typeof notCapable === "function" && e instanceof notCapable) return true;
  // Before Deno 2 a missing permission was a PermissionDenied ("Requires net
  // access to ..."); the operating system's EACCES is one too, so look at
  // the message.
  const denied = errors.PermissionDenied;
  return typeof denied === "function" && e instanceof denied &&
    /\brequires\b.*\baccess\b/i.test((e as Error).message);
}

/**
 * The flag that grants what a Deno permission error asked for
 * (`Requires net access to "h:9092"` → `--allow-net=h:9092`), or `undefined`
 * when the message does not say.
 *
 * @example
 * ```ts
 * import { permissionFlag } from "./runtime.ts";
 * const e = new Error('Requires sys access to "hostname", run again with the --allow-sys flag');
 * console.assert(permissionFlag(e) === "--allow-sys=hostname");
 * ```
 */
export function permissionFlag(e: unknown): string | undefined {
  const m = e instanceof Error
    ? /\brequires (\w+) access to "([^"]*)"/i.exec(e.message)
    : null;
  return m ? `--allow-${m[1].toLowerCase()}=${m[2]}` : undefined;
}
