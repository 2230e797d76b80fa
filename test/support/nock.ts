import { afterAll, afterEach, beforeAll, expect } from "@jest/globals";
import nock from "nock";

/**
 * nock for a test file, imported instead of `nock` itself: the same instance, plus an `afterAll`
 * that leaves Node's http module as the file found it.
 *
 * Why: nock patches the http module for the whole Jest worker, not only for the file that
 * imported it. A file that ends with `disableNetConnect()` or an active interceptor would leave
 * the next file in the same worker unable to reach the simulator or a web process on 127.0.0.1.
 * Files that do not import nock do not load it (its interceptor would sit in front of every real
 * request they make). The hook is registered once per file, when this module is first evaluated
 * in the file's module registry.
 *
 * @example
 *   import nock from "../../support/nock.js";
 *   nock("https://api.github.com").get("/meta").reply(200, {});
 */
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

/**
 * Every test file that calls it: no real network, and every mock a test declares must have been
 * used. Checked after each test, then mocks are cleared so one failure does not cascade.
 *
 * @example strictNock();
 */
export function strictNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
}

export default nock;
