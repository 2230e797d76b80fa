import { afterEach, beforeAll, expect } from "@jest/globals";
import nock from "../../support/nock.js";

/**
 * Every test file: no real network, and every mock a test declares must have been used. Checked
 * after each test, then mocks are cleared so one failure does not cascade.
 */
export function strictNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
}
