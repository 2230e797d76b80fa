import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SECRET_VARIABLES, configVariables, withSecretFiles as fill } from "../../../src/runtime/secret-files.js";

const withSecretFiles = (env: NodeJS.ProcessEnv, read?: (path: string) => string) =>
  fill(env, [...SECRET_VARIABLES, "GHEC_TOKEN"], read);
import { InputError } from "../../../src/shared/errors.js";
import { isTokenKey } from "../../../src/config/load-deployment.js";

describe("withSecretFiles", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "license-sync-secrets-"));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it("fills NAME from NAME_FILE and drops one trailing newline", () => {
    const env = withSecretFiles({
      WEBHOOK_SECRET_FILE: file("hook", "s3cret\n"),
      GHEC_TOKEN_FILE: file("tok", "ghp_x\r\n"),
      OTHER: "kept",
    });
    expect(env.WEBHOOK_SECRET).toBe("s3cret");
    expect(env.GHEC_TOKEN).toBe("ghp_x");
    expect(env.OTHER).toBe("kept");
  });

  it("refuses an empty file, naming the variable (an empty METRICS_TOKEN_FILE left /metrics open to anyone)", () => {
    for (const text of ["", "\n", "  \r\n"]) {
      expect(() => withSecretFiles({ METRICS_TOKEN_FILE: file("empty", text) })).toThrow(
        /METRICS_TOKEN_FILE: names an empty file\. Put the secret in the file/,
      );
    }
  });

  it("keeps a PEM's inner newlines", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n";
    expect(withSecretFiles({ PRIVATE_KEY_FILE: file("pem", pem) }).PRIVATE_KEY).toBe(pem.slice(0, -1));
  });

  it("refuses NAME and NAME_FILE together, naming both", () => {
    expect(() => withSecretFiles({ LICENSE_SYNC_SECRET: "a", LICENSE_SYNC_SECRET_FILE: file("s", "b") })).toThrow(
      /LICENSE_SYNC_SECRET_FILE: is set together with LICENSE_SYNC_SECRET\. Set only one/,
    );
  });

  it("names the variable and the fix when the file is missing", () => {
    const error = (() => {
      try {
        withSecretFiles({ REDIS_PASSWORD_FILE: path.join(dir, "nope") });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /REDIS_PASSWORD_FILE: cannot read the file it names \(ENOENT\)\. No file is there/,
    );
  });

  it("says who cannot read an unreadable file and how to let it", () => {
    const denied = Object.assign(new Error("denied"), { code: "EACCES" });
    expect(() =>
      withSecretFiles({ WEBHOOK_SECRET_FILE: "/run/secrets/x" }, () => {
        throw denied;
      }),
    ).toThrow(/\(EACCES\)\. The file exists but this process \(uid \d+\) may not read it: .*uid 1000/);
  });

  it("opens only the files of variables it reads: another tool's *_FILE is not its business", () => {
    const reads: string[] = [];
    const env = withSecretFiles(
      { PATH: "/usr/bin", TF_CLI_CONFIG_FILE: "/nonexistent/terraformrc", EMPTY_FILE: "", WEBHOOK_SECRET_FILE: "" },
      (p) => (reads.push(p), ""),
    );
    expect(reads).toEqual([]);
    expect(env.TF_CLI_CONFIG).toBeUndefined();
  });

  it("finds the variables a deployment config refers to", () => {
    expect(
      configVariables(
        "cloud:\n  token: ${GHEC_TOKEN}\nservers:\n  - token: ${GHES_A_TOKEN}\n  - token: ${GHEC_TOKEN}\n# $HOME {x}",
      ),
    ).toEqual(["GHEC_TOKEN", "GHES_A_TOKEN"]);
  });

  it("leaves out, for the web process, the variables only its token keys name: it never opens a token file", () => {
    const text =
      "cloud:\n  apiUrl: ${API_URL}\n  token: ${GHEC_TOKEN}\nadminRepository: ${ADMIN_REPO}\nservers:\n  - url: https://a\n    token: ${GHES_A_TOKEN}\n";
    expect(configVariables(text, isTokenKey)).toEqual(["API_URL", "ADMIN_REPO"]);
    expect(configVariables(text)).toEqual(["API_URL", "GHEC_TOKEN", "ADMIN_REPO", "GHES_A_TOKEN"]);
  });

  it("refuses a directory with its own fix", () => {
    chmodSync(dir, 0o755);
    expect(() => withSecretFiles({ WEBHOOK_SECRET_FILE: dir })).toThrow(
      /EISDIR\)\. WEBHOOK_SECRET_FILE names a directory/,
    );
  });
});
