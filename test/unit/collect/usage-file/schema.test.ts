import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { usageFileChunks } from "../../../../src/collect/usage-file/usage-file.js";
import { usageAccountSchema, usageFileJsonSchema } from "../../../../src/collect/usage-file/schema.js";
import { account, protector } from "../../../support/builders.js";

const committed = JSON.parse(
  readFileSync(new URL("../../../../schemas/usage-file.schema.json", import.meta.url), "utf8"),
);

/** The JSON Schema as committed, compiled. */
function committedValidator() {
  const ajv = new Ajv2020.default({ strict: false });
  addFormats.default(ajv);
  return ajv.compile(committed);
}

/** A usage file as license-sync writes it, of `accounts`, parsed. */
function writtenFile(accounts: ReturnType<typeof account>[]) {
  const header = {
    hostname: "h",
    version: null,
    generatedAt: "2026-11-23T12:00:00.000Z",
    license: null,
    keyId: protector.keyId,
  };
  return JSON.parse([...usageFileChunks(header, accounts)].join(""));
}

describe("usage file JSON Schema", () => {
  it("is committed exactly as generated (regenerate: node -e in docs/usage-file.md)", () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(usageFileJsonSchema())));
  });
  it("accepts a file license-sync writes and rejects a clear email", () => {
    const validate = committedValidator();
    const file = writtenFile([account("h", 1, "m", "m@x.io")]);
    expect(validate(file)).toBe(true);
    file.accounts[0].email.masked = "m@x.io";
    expect(validate(file)).toBe(false);
  });
  it("accepts, in both schemas, an email masked from a first character outside the BMP (an emoji is one character)", () => {
    const emoji = account("h", 1, "m", "\u{1F600}mona@corp.example");
    expect(emoji.primaryEmail?.masked).toBe("\u{1F600}***@corp.example");
    const file = writtenFile([emoji]);
    expect(committedValidator()(file)).toBe(true);
    expect(usageAccountSchema.safeParse(file.accounts[0]).success).toBe(true);
  });
});
