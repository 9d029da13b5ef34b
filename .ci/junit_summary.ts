// Prints "<passed> <failed>" for a JUnit XML file written by `deno test --junit-path`.
// Every <testcase> counts once (test steps included); one with a <failure> or
// <error> child counts as failed, one marked <skipped> as failed too (CI must
// not pass on skipped tests).
const xml = await Deno.readTextFile(Deno.args[0]);
let passed = 0;
let failed = 0;
const re = /<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g;
for (const m of xml.matchAll(re)) {
  const body = m[2] ?? "";
  if (/<(failure|error|skipped)\b/.test(body)) failed++;
  else passed++;
}
console.log(`${passed} ${failed}`);
