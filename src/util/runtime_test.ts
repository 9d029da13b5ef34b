import assert from "node:assert/strict";
import {
  deno,
  hostname,
  isPermissionError,
  permissionFlag,
  readTextFile,
} from "./runtime.ts";

Deno.test("runtime: on Deno, deno is the Deno namespace", () => {
  assert.equal(deno, Deno);
});

Deno.test("runtime: permission errors are told apart from operating-system refusals", () => {
  assert.ok(
    isPermissionError(new Deno.errors.NotCapable("Requires net access")),
  );
  assert.ok(
    isPermissionError(
      new Deno.errors.PermissionDenied(
        'Requires net access to "h:1", run again with the --allow-net flag',
      ),
    ),
  );
  // EACCES from the operating system is a PermissionDenied too, but no
  // missing Deno permission.
  assert.ok(
    !isPermissionError(
      new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
    ),
  );
  assert.ok(!isPermissionError(new Error("Requires net access")));
  assert.ok(!isPermissionError("NotCapable"));
});

Deno.test("runtime: permissionFlag names the flag Deno asked for", () => {
  const net = new Deno.errors.NotCapable(
    'Requires net access to "127.0.0.1:19292", run again with the --allow-net flag',
  );
  assert.equal(permissionFlag(net), "--allow-net=127.0.0.1:19292");
  const sys = new Deno.errors.NotCapable(
    'Requires sys access to "ca", run again with the --allow-sys flag',
  );
  assert.equal(permissionFlag(sys), "--allow-sys=ca");
  assert.equal(permissionFlag(new Error("no")), undefined);
  assert.equal(permissionFlag(undefined), undefined);
});

Deno.test("runtime: hostname is the machine's when --allow-sys=hostname is granted", () => {
  assert.equal(hostname(), Deno.hostname());
});

Deno.test("runtime: readTextFile reads UTF-8 text", async () => {
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(file, "-----BEGIN CERTIFICATE-----\nä\n");
    assert.equal(await readTextFile(file), "-----BEGIN CERTIFICATE-----\nä\n");
    await assert.rejects(readTextFile(`${file}.missing`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("runtime: an unref'd interval does not keep a program alive", async () => {
  const code = `
    import { unrefTimer } from ${
    JSON.stringify(new URL("./runtime.ts", import.meta.url).href)
  };
    unrefTimer(setInterval(() => {}, 60_000));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
});
