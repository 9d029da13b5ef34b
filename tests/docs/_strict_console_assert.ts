// Preloaded by tests/run.ts for the test run: `console.assert` throws
// instead of only printing "Assertion failed", so the JSDoc examples that
// state their results with it fail when a result is wrong.
const original = console.assert.bind(console);
console.assert = (condition?: boolean, ...data: unknown[]): void => {
  if (condition) return;
  original(condition, ...data);
  throw new Error(
    `console.assert failed${
      data.length ? ": " + data.map(String).join(" ") : ""
    }`,
  );
};
