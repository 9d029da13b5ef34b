// The failover tests stop and restart brokers, which would disturb every test
// running beside them. They run only in phase 2 of `deno task test`
// (tests/run.ts), which runs this folder alone and sets
// DENOKAFKA_FAILOVER_TESTS=1; a plain `deno test -A` reports them as skipped,
// with the reason in the name.

/** Whether this process may stop brokers. */
export const FAILOVER_ENABLED: boolean =
  Deno.env.get("DENOKAFKA_FAILOVER_TESTS") === "1";

/** `failover.test(name, fn)`: `Deno.test`, skipped outside `deno task test`. */
export const failover = {
  test(name: string, fn: () => Promise<void>): void {
    if (FAILOVER_ENABLED) {
      Deno.test(name, fn);
      return;
    }
    Deno.test({
      name:
        `${name} [SKIPPED: stops brokers; runs only in deno task test, or alone with DENOKAFKA_FAILOVER_TESTS=1]`,
      ignore: true,
      fn,
    });
  },
};
