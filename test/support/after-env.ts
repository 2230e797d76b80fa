import { readFileSync } from "node:fs";

/**
 * nock patches Node's http module for the whole Jest worker, not only for the test file that
 * imported it: a file that ends with `disableNetConnect()` would leave the next file in the same
 * worker unable to reach the simulator or a web process on 127.0.0.1. So each file that uses nock
 * leaves the module as it found it. (This setup file shares the test file's module registry, so
 * the import below is the very nock instance the file used.) Files that do not mention nock do
 * not load it: its interceptor would sit in front of every real request they make.
 */
const testPath = expect.getState().testPath;
if (testPath && readFileSync(testPath, "utf8").includes("nock")) {
  afterAll(async () => {
    const { default: nock } = await import("nock");
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });
}
