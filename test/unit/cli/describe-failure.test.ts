import { describeFailure } from "../../../src/cli/describe-failure.js";

describe("describeFailure", () => {
  it("follows causes and names the request's method and host (never its path or query), without the stack unless debugging", () => {
    const network = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const error = Object.assign(new Error("fetch failed", { cause: network }), {
      request: {
        method: "GET",
        url: "http://127.0.0.1:9/api/v3/user?page=2",
        headers: { authorization: "token secret" },
      },
    });
    const text = describeFailure(error, {});
    expect(text).toBe(
      "fetch failed (GET 127.0.0.1:9): connect ECONNREFUSED 127.0.0.1:9\nRun again with LOG_LEVEL=debug for details.",
    );
    expect(text).not.toContain("secret");
    expect(text).not.toMatch(/api\/v3|page=2/);
    expect(describeFailure(error, { LOG_LEVEL: "debug" })).toContain("at ");
  });

  it("does not repeat causes an error's message already quotes (a network error named by its config key)", async () => {
    const { unreachableError } = await import("../../../src/github/unreachable.js");
    const network = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const fetchError = Object.assign(new Error("fetch failed", { cause: network }), {
      status: 500,
      request: { method: "GET", url: "http://127.0.0.1:9/user" },
    });
    const text = describeFailure(unreachableError(fetchError, "cloud.apiUrl"), {});
    expect(text).toBe(
      "cannot reach the host of cloud.apiUrl (127.0.0.1:9): fetch failed: connect ECONNREFUSED 127.0.0.1:9. Check cloud.apiUrl in the deployment config and that this machine can connect to it.\nRun again with LOG_LEVEL=debug for details.",
    );
  });
});
