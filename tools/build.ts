/**
 * `deno task build`: the library as plain ES modules for Node (20 and later)
 * and Bun, in `dist/` (git-ignored, never published to JSR).
 *
 * `deno bundle` (esbuild under the hood) compiles the library's entry points
 * of `deno.json`'s `exports` (all but `./cli`, the Deno-only command-line
 * tool) with code splitting, so they share one copy of
 * every class (`instanceof` works across them) and node-zookeeper-client
 * stays in a chunk of its own that is loaded only when ZooKeeper is used.
 * `dist/package.json` names the entry points, so the folder can be imported
 * by path or installed with `npm install ./dist`:
 *
 * ```sh
 * deno task build
 * node -e 'import("./dist/mod.js").then((k) => console.log(Object.keys(k).length))'
 * ```
 *
 * JSR does the same for npm users of the published package (`npx jsr add
 * @denokafka/kafka`, one transpiled file per source file); this build runs
 * the same sources through the same kind of transpilation where JSR cannot
 * be reached, for the runtime smoke suite (`deno task smoke`).
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);
const DIST = new URL("dist/", ROOT);
/** Entry points that are not built for Node and Bun. */
const DENO_ONLY = new Set(["./cli"]);

interface DenoJson {
  name: string;
  version: string;
  license: string;
  exports: Record<string, string>;
}

/** Builds `dist/`; returns the path of the main entry point. */
export async function build(
  options: { quiet?: boolean } = {},
): Promise<string> {
  const config: DenoJson = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", ROOT)),
  );
  await Deno.remove(DIST, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  // The CLI (`./cli`) runs on Deno only (Deno.stdin, signals, terminals).
  const libraryExports = Object.fromEntries(
    Object.entries(config.exports).filter(([key]) => !DENO_ONLY.has(key)),
  );
  const entries = Object.values(libraryExports);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform=deno",
      "--code-splitting",
      "--outdir",
      "dist",
      ...entries,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stderr) +
    new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`deno bundle failed:\n${text}`);
  const exportsMap: Record<string, string> = {};
  for (const [key, file] of Object.entries(libraryExports)) {
    exportsMap[key] = file.replace(/\.ts$/, ".js");
  }
  const pkg = {
    name: config.name,
    version: config.version,
    license: config.license,
    description:
      "denokafka built for Node and Bun by `deno task build` (the published package is on JSR).",
    type: "module",
    main: exportsMap["."],
    exports: exportsMap,
    engines: { node: ">=20" },
    // Loaded only with `zookeeperHosts` (src/cluster/zookeeper.ts imports it
    // by its bare name on Node and Bun).
    optionalDependencies: { "node-zookeeper-client": "1.1.3" },
  };
  await Deno.writeTextFile(
    new URL("package.json", DIST),
    JSON.stringify(pkg, null, 2) + "\n",
  );
  const main = new URL(exportsMap["."], DIST).pathname;
  if (!options.quiet) console.log(`built ${main}`);
  return main;
}

if (import.meta.main) await build();
