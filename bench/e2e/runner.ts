/**
 * Runs one peer process under `/usr/bin/time` in its own session (so a hung
 * peer and all its children are killed together), with a timeout, and parses
 * its result line. CPU (user + sys) and peak RSS are those of the peer
 * process and its children (for the shell wrappers: the JVM or kcat), never
 * the broker's.
 *
 * @module
 */

/** The marker every peer result line carries. */
export const RESULT_TAG = "denokafka-bench/1";

/** What one peer run produced. */
export interface RunOutcome {
  status: "ok" | "unavailable" | "failed" | "timeout";
  /** Why, when not ok. */
  reason?: string;
  /** The peer's own result line. */
  result?: Record<string, unknown>;
  /** Wall time of the process (s). */
  wallS: number;
  /** User + system CPU seconds of the peer process tree. */
  cpuS?: number;
  /** Peak resident set size (MiB). */
  rssMiB?: number;
  /** Last lines of stderr, for failures. */
  stderrTail?: string;
}

/** Finds the result line on stdout (the last line carrying the tag). */
export function parseResultLine(
  stdout: string,
): Record<string, unknown> | null {
  const lines = stdout.split("\n").reverse();
  for (const line of lines) {
    const t = line.trim();
    if (!t.startsWith("{") || !t.includes(RESULT_TAG)) continue;
    try {
      const v = JSON.parse(t);
      if (v && v.result === RESULT_TAG) return v;
    } catch {
      // not JSON: keep looking
    }
  }
  return null;
}

/** Runs `cmd args` with a timeout; measures CPU and peak RSS. */
export async function runPeer(
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; timeoutMs: number; cwd?: string },
): Promise<RunOutcome> {
  const timeFile = await Deno.makeTempFile({ prefix: "bench-time-" });
  const t0 = performance.now();
  const child = new Deno.Command("setsid", {
    args: [
      "/usr/bin/time",
      "-f",
      "%e %U %S %M",
      "-o",
      timeFile,
      "--",
      cmd,
      ...args,
    ],
    env: opts.env,
    cwd: opts.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      Deno.kill(-child.pid, "SIGKILL"); // the whole session/process group
    } catch {
      // already gone
    }
  }, opts.timeoutMs);
  const out = await child.output();
  clearTimeout(timer);
  const wallS = (performance.now() - t0) / 1000;
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  const stderrTail = stderr.split("\n").filter((l) => l.trim()).slice(-6).join(
    "\n",
  );
  let cpuS: number | undefined;
  let rssMiB: number | undefined;
  try {
    const lines = (await Deno.readTextFile(timeFile)).trim().split("\n");
    const last = lines[lines.length - 1].trim().split(/\s+/).map(Number);
    if (last.length === 4 && last.every(Number.isFinite)) {
      cpuS = last[1] + last[2];
      rssMiB = last[3] / 1024;
    }
  } catch {
    // killed before time wrote its line
  }
  await Deno.remove(timeFile).catch(() => {});
  if (timedOut) {
    return {
      status: "timeout",
      reason: `killed after ${
        Math.round(opts.timeoutMs / 1000)
      } s (hung or too slow)`,
      wallS,
      stderrTail,
    };
  }
  const result = parseResultLine(stdout);
  if (result && typeof result.unavailable === "string") {
    return { status: "unavailable", reason: result.unavailable, result, wallS };
  }
  if (!out.success || !result || typeof result.error === "string") {
    const why = typeof result?.error === "string"
      ? result.error
      : `exit code ${out.code}${out.signal ? ` (${out.signal})` : ""}${
        result ? "" : ", no result line"
      }`;
    return {
      status: "failed",
      reason: `${why}${
        stderrTail ? `: ${stderrTail.split("\n").slice(-2).join(" | ")}` : ""
      }`,
      result: result ?? undefined,
      wallS,
      cpuS,
      rssMiB,
      stderrTail,
    };
  }
  return { status: "ok", result, wallS, cpuS, rssMiB };
}
