/**
 * The peer tools some tests compare against, beyond the README's
 * prerequisites: librdkafka's `kcat`, kafka-python with its codecs, and
 * pykafka 2.8.0 with kazoo (in a virtual environment under the cache
 * folder, for the mixed ZooKeeper groups of the BalancedConsumer tests).
 *
 * - `missingTools()` lists what is not installed, each with the command that
 *   installs it; `deno task test` prints one line per missing tool at start.
 * - `kcat.test(name, fn)` / `kafkaPython.test(name, fn)` register a test
 *   that needs the tool: when it is missing, the test is ignored and its
 *   name says why (so it shows as skipped, with the reason); with
 *   `DENOKAFKA_REQUIRE_INTEROP=1` (`.ci/run` sets it) it runs and fails
 *   instead, naming the tool.
 *
 * ```ts ignore
 * import { kcat } from "../cluster/interop.ts";
 * kcat.test("reads what kcat wrote", async () => {});
 * ```
 *
 * @module
 */

import { join } from "node:path";
import { cacheDir } from "./layout.ts";

/**
 * The virtual environment with pykafka 2.8.0 and kazoo from PyPI (`.ci/run`
 * makes it): `<cache>/pykafka-2.8.0`, its interpreter `bin/python`.
 */
export const PYKAFKA_VENV: string = join(cacheDir(), "pykafka-2.8.0");
/** The interpreter of {@linkcode PYKAFKA_VENV}. */
export const PYKAFKA_PYTHON: string = join(PYKAFKA_VENV, "bin", "python");

/** A tool some tests need. */
export interface InteropTool {
  /** Short name used in test names and messages. */
  name: string;
  /** What it is. */
  description: string;
  /** The command and arguments that exit 0 when the tool is usable. */
  probe: [string, ...string[]];
  /** How to install it. */
  install: string;
}

/** Every tool the interop tests use, by name. */
export const INTEROP_TOOLS = {
  kcat: {
    name: "kcat",
    description: "librdkafka's command-line client",
    probe: ["kcat", "-V"],
    install: "apt-get install kcat",
  },
  "kafka-python": {
    name: "kafka-python",
    description:
      "kafka-python with its snappy, lz4 and zstd codecs, for /usr/bin/python3",
    probe: [
      "/usr/bin/python3",
      "-c",
      "import kafka, snappy, lz4, zstandard",
    ],
    install:
      "apt-get install python3-kafka python3-snappy python3-lz4 python3-zstandard",
  },
  pykafka: {
    name: "pykafka",
    description:
      `pykafka 2.8.0 and kazoo from PyPI, in the virtual environment ${PYKAFKA_VENV}`,
    probe: [
      PYKAFKA_PYTHON,
      "-c",
      "import kazoo.client, pykafka; assert pykafka.__version__ == '2.8.0'",
    ],
    install:
      `python3 -m venv ${PYKAFKA_VENV} && ${PYKAFKA_VENV}/bin/pip install pykafka==2.8.0 kazoo`,
  },
} as const satisfies Record<string, InteropTool>;

/** A tool name. */
export type InteropToolName = keyof typeof INTEROP_TOOLS;

/** Whether a missing tool is a failure (CI) rather than a skip. */
export const REQUIRE_INTEROP: boolean =
  Deno.env.get("DENOKAFKA_REQUIRE_INTEROP") === "1";

const available = new Map<InteropToolName, Promise<boolean>>();

/** Whether `name` is installed and works (probed once per process). */
export function hasTool(name: InteropToolName): Promise<boolean> {
  let p = available.get(name);
  if (!p) {
    const [cmd, ...args] = INTEROP_TOOLS[name].probe;
    // A missing program throws NotFound from output() itself.
    p = (async () => {
      try {
        const o = await new Deno.Command(cmd, {
          args,
          stdin: "null",
          stdout: "null",
          stderr: "null",
        }).output();
        return o.success;
      } catch {
        return false;
      }
    })();
    available.set(name, p);
  }
  return p;
}

/** The tools that are missing. */
export async function missingTools(): Promise<InteropTool[]> {
  const out: InteropTool[] = [];
  for (const name of Object.keys(INTEROP_TOOLS) as InteropToolName[]) {
    if (!(await hasTool(name))) out.push(INTEROP_TOOLS[name]);
  }
  return out;
}

/** Probed at load, so `interopTest` can decide synchronously. */
const present = new Map<InteropToolName, boolean>(
  await Promise.all(
    (Object.keys(INTEROP_TOOLS) as InteropToolName[]).map(async (
      n,
    ) => [n, await hasTool(n)] as const),
  ),
);

/**
 * Registers `Deno.test(name, fn)` for a test that needs `tools`. When one is
 * missing: ignored, with the reason and the install command in the name;
 * with `DENOKAFKA_REQUIRE_INTEROP=1`, a failing test naming the tool.
 */
export function interopTest(
  tools: readonly InteropToolName[],
  name: string,
  fn: () => Promise<void>,
): void {
  const missing = tools.filter((t) => !present.get(t));
  if (missing.length === 0) {
    Deno.test(name, fn);
    return;
  }
  const why = missing.map((t) =>
    `${t} not installed (${INTEROP_TOOLS[t].install})`
  ).join("; ");
  if (REQUIRE_INTEROP) {
    Deno.test(name, () => {
      throw new Error(`${why}; DENOKAFKA_REQUIRE_INTEROP=1 requires it`);
    });
    return;
  }
  Deno.test({ name: `${name} [SKIPPED: ${why}]`, ignore: true, fn });
}

/** A test registrar for tests that need one tool: `kcat.test(name, fn)`. */
export interface ToolTests {
  /** Registers the test (see {@linkcode interopTest}). */
  test(name: string, fn: () => Promise<void>): void;
}

/** Tests that need kcat. */
export const kcat: ToolTests = {
  test: (name, fn) => interopTest(["kcat"], name, fn),
};

/** Tests that need kafka-python with its codecs. */
export const kafkaPython: ToolTests = {
  test: (name, fn) => interopTest(["kafka-python"], name, fn),
};

/** Tests that need pykafka 2.8.0 (and kazoo) in {@linkcode PYKAFKA_VENV}. */
export const pykafka: ToolTests = {
  test: (name, fn) => interopTest(["pykafka"], name, fn),
};
