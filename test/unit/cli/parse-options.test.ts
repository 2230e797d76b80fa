import { parseOptions } from "../../../src/cli/parse-options.js";

const options = {
  config: { type: "string" },
  "repo-config": { type: "string" },
  "dry-run": { type: "boolean" },
} as const;
const parse = (args: string[]) => () => parseOptions(args, options);

describe("parseOptions", () => {
  it("names the nearest known option for a typo, as config keys do", () => {
    expect(parse(["--confg", "x.yml"])).toThrow(
      /^command line: Unknown option '--confg' \(did you mean --config\?\)\. Run `license-sync COMMAND --help`/,
    );
    expect(parse(["--dryrun"])).toThrow(/\(did you mean --dry-run\?\)/);
  });
  it("suggests nothing when no option is close, and never quotes a value", () => {
    expect(parse(["--zzzzzzzzzz=s3cret"])).toThrow(/^command line: Unknown option '--zzzzzzzzzz'\. Run/);
    expect(parse(["--zzzzzzzzzz=s3cret"])).not.toThrow(/s3cret/);
  });
});
