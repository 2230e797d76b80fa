/**
 * The steps of one ordered scenario (an issue's whole life, an installation's), each run once,
 * in declaration order, when a test first needs it. A test calls `reach(step)` and gets that
 * step's result with every step before it run: run alone (`jest -t`), it sees the same state as
 * in the whole file, instead of leaning on the tests before it.
 *
 * @example
 *   const scenario = orderedSteps({ install: () => deliver(install), firstRun: () => comment("now") });
 *   test("runs", async () => expect(await scenario.reach("firstRun")).toMatchObject({ status: 200 }));
 */
export function orderedSteps<Steps extends Record<string, () => Promise<unknown>>>(steps: Steps) {
  const names = Object.keys(steps) as (keyof Steps)[];
  const results = new Map<keyof Steps, Promise<unknown>>();
  let last: Promise<unknown> = Promise.resolve();
  return {
    /** Runs the steps up to and including `name` that have not run yet; resolves to `name`'s result. */
    reach<Name extends keyof Steps>(name: Name): Promise<Awaited<ReturnType<Steps[Name]>>> {
      for (const step of names.slice(0, names.indexOf(name) + 1)) {
        if (results.has(step)) continue;
        last = last.then(() => steps[step]!());
        results.set(step, last);
      }
      return results.get(name) as Promise<Awaited<ReturnType<Steps[Name]>>>;
    },
  };
}
