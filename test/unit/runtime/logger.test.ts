import { InputError } from "../../../src/shared/errors.js";
import { createRootLogger, defaultLogFormat } from "../../../src/runtime/logger.js";
import { readRuntimeSettings } from "../../../src/runtime/settings.js";
import { duplicateKeys } from "../../support/json-keys.js";

const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n";
const base = { APP_ID: "42", PRIVATE_KEY: PEM, LICENSE_SYNC_SECRET: "s" };
// Probot types LOG_FORMAT as its two values; an operator's environment holds any text.
const withFormat = (value: string) => ({ ...base, LOG_FORMAT: value }) as Record<string, string> as NodeJS.ProcessEnv;

test("JSON unless standard output is a terminal; LOG_FORMAT decides when set and names itself when wrong", () => {
  expect(defaultLogFormat({ isTTY: true })).toBe("pretty");
  expect(defaultLogFormat({ isTTY: undefined })).toBe("json");
  expect(readRuntimeSettings(base).logFormat).toBeUndefined();
  expect(readRuntimeSettings(withFormat("pretty")).logFormat).toBe("pretty");
  expect(() => readRuntimeSettings(withFormat("xml"))).toThrow(InputError);
  expect(() => readRuntimeSettings(withFormat("xml"))).toThrow(/LOG_FORMAT/);
});

test("a child's binding and a log call's field override, once per line; a GHES hostname goes under ghesHost", async () => {
  const lines: string[] = [];
  const root = await createRootLogger({
    level: "info",
    format: "json",
    destination: { write: (line: string) => void lines.push(line) },
  });
  root
    .child({ name: "probot" })
    .child({ runId: "r1" })
    .info({ runId: "r1", hostname: "ghes-a.corp.example" }, "collected");
  expect(lines).toHaveLength(1);
  expect(duplicateKeys(lines[0]!)).toEqual([]);
  expect(JSON.parse(lines[0]!)).toMatchObject({
    name: "probot",
    runId: "r1",
    ghesHost: "ghes-a.corp.example",
    msg: "collected",
  });
  expect(JSON.parse(lines[0]!).hostname).not.toBe("ghes-a.corp.example");
});
