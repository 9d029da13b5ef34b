/**
 * Ctrl-C for long commands: the first SIGINT (or SIGTERM) aborts a signal
 * so the command can stop cleanly (flush, commit); a second one exits at
 * once with code 130.
 *
 * @module
 */

import { EXIT } from "./_errors.ts";

/** An interrupt scope; dispose it to remove the listeners. */
export interface Interrupt extends Disposable {
  /** Aborted on the first SIGINT / SIGTERM. */
  readonly signal: AbortSignal;
}

/** Listens for SIGINT and SIGTERM until disposed. */
export function onInterrupt(): Interrupt {
  const ac = new AbortController();
  const signals: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT"]
    : ["SIGINT", "SIGTERM"];
  const handler = () => {
    if (ac.signal.aborted) Deno.exit(EXIT.INTERRUPTED);
    ac.abort(new DOMException("interrupted", "AbortError"));
  };
  for (const s of signals) Deno.addSignalListener(s, handler);
  return {
    signal: ac.signal,
    [Symbol.dispose]() {
      for (const s of signals) Deno.removeSignalListener(s, handler);
    },
  };
}
