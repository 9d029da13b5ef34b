// The JSDoc examples of the library run: `deno test --doc` (tests/run.ts)
// runs every ```ts block in a doc comment against the local cluster. A block
// that cannot run says why on its fence, as README blocks do:
// ```ts ignore <reason> (at least three words). This test holds that rule
// for every source file of the package (mod.ts, src/, cli/).
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

interface Fence {
  file: string;
  line: number;
  info: string;
}

/** The ```ts / ```typescript fences inside the doc comments of a source text. */
export function docFences(file: string, source: string): Fence[] {
  const out: Fence[] = [];
  const lines = source.split("\n");
  let inComment = false;
  let open = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!inComment && /^\s*\/\*\*/.test(line)) inComment = true;
    if (inComment) {
      const m = /^\s*\*?\s*(`{3,})(.*)$/.exec(line.replace(/^\s*\/\*\*/, ""));
      if (m) {
        if (!open && /^(ts|typescript)\b/.test(m[2].trim())) {
          out.push({ file, line: i + 1, info: m[2].trim() });
        }
        open = !open;
      }
      if (line.includes("*/")) {
        inComment = false;
        open = false;
      }
    }
  }
  return out;
}

async function* sourceFiles(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) yield* sourceFiles(url);
    else if (/\.ts$/.test(e.name) && !/_test\.ts$/.test(e.name)) yield url;
  }
}

async function allFences(): Promise<Fence[]> {
  const files = [new URL("mod.ts", ROOT)];
  for (const dir of ["src/", "cli/"]) {
    for await (const f of sourceFiles(new URL(dir, ROOT))) files.push(f);
  }
  const out: Fence[] = [];
  for (const f of files) {
    const rel = f.href.slice(ROOT.href.length);
    out.push(...docFences(rel, await Deno.readTextFile(f)));
  }
  return out;
}

Deno.test("docFences finds the fences of doc comments only", () => {
  const src = [
    "/**",
    " * @example",
    " * ```ts",
    " * f();",
    " * ```",
    " * ```ts ignore needs three words",
    " * ```",
    " */",
    "const s = `",
    "```ts ignore",
    "`;",
  ].join("\n");
  assert.deepEqual(docFences("x.ts", src), [
    { file: "x.ts", line: 3, info: "ts" },
    { file: "x.ts", line: 6, info: "ts ignore needs three words" },
  ]);
});

Deno.test("JSDoc: every ignored example says why it cannot run", async () => {
  const fences = await allFences();
  assert.ok(fences.length > 50, `only ${fences.length} examples found`);
  const bad = fences.filter((f) => {
    const ignore = /\bignore\b(.*)$/.exec(f.info);
    return ignore && ignore[1].trim().split(/\s+/).filter(Boolean).length < 3;
  });
  assert.deepEqual(
    bad.map((f) => `${f.file}:${f.line}`),
    [],
    "an ignored JSDoc example must give its reason: ```ts ignore <why it cannot run against the local cluster>",
  );
});
