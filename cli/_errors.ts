/**
 * Exit codes and the errors of the CLI, and how any error becomes one line.
 *
 * @module
 */

/**
 * The exit codes (documented in the README and in `denokafka --help`).
 */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** A runtime error: the cluster, the network, a file, a failed delivery. */
  RUNTIME: 1,
  /** A usage error: an unknown command or flag, a missing or bad value. */
  USAGE: 2,
  /** Refused because of the cluster's state (a group with active members). */
  REFUSED: 3,
  /** Interrupted (Ctrl-C / SIGINT / SIGTERM) after a clean stop. */
  INTERRUPTED: 130,
} as const;

/** A bad command line: exit code 2, with a pointer to `--help`. */
export class UsageError extends Error {
  /** The command path (`["topics", "create"]`). */
  readonly command: readonly string[];

  /**
   * @param message what is wrong
   * @param command the command path, for the `--help` hint
   */
  constructor(message: string, command: readonly string[] = []) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** The cluster's state forbids the operation (exit code 3). */
export class RefusedError extends Error {
  /** @param message why */
  constructor(message: string) {
    super(message);
    this.name = "RefusedError";
  }
}

/** A runtime failure found by the CLI itself (exit code 1). */
export class CliError extends Error {
  /** @param message what failed */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CliError";
  }
}

/** The exit code for an error. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError) return EXIT.USAGE;
  if (e instanceof RefusedError) return EXIT.REFUSED;
  // The library's option checks (TypeError / RangeError naming an option)
  // see values that came from flags.
  if (e instanceof RangeError && /\boption\b/.test(e.message)) {
    return EXIT.USAGE;
  }
  return EXIT.RUNTIME;
}

/** One line for an error: `Name: message`, newlines folded. */
export function errorLine(e: unknown): string {
  let text: string;
  if (e instanceof UsageError) {
    const cmd = ["denokafka", ...e.command].join(" ");
    text = `${e.message} (see '${cmd} --help')`;
  } else if (e instanceof RefusedError || e instanceof CliError) {
    text = e.message;
  } else if (e instanceof Error) {
    text = `${e.name}: ${e.message}`;
  } else text = String(e);
  return text.replace(/\s*\n\s*/g, " ").trim();
}
