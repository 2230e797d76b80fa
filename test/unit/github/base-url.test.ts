import { normalizeBaseUrl } from "../../../src/github/base-url.js";
import { InputError } from "../../../src/shared/index.js";

describe("normalizeBaseUrl", () => {
  it("drops trailing slashes of a good URL", () => {
    expect(normalizeBaseUrl("https://api.acme.ghe.com/", "cloud.apiUrl")).toBe("https://api.acme.ghe.com");
  });

  it("refuses a value that is not a URL naming the setting, never quoting the value (a token pasted into the wrong setting)", () => {
    const pasted = "ghp_0123456789abcdefABCDEF0123456789abcd";
    let caught: unknown;
    try {
      normalizeBaseUrl(pasted, "servers[0].url");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const message = (caught as Error).message;
    expect(message).toContain("servers[0].url");
    expect(message).toContain("is not a URL");
    expect(message).not.toContain(pasted);
    expect(message).not.toContain("ghp_");
  });

  it("refuses credentials in the URL without echoing them", () => {
    expect(() => normalizeBaseUrl("https://mona:s3cret@ghes.corp.example", "servers[0].url")).toThrow(
      /contains credentials/,
    );
    try {
      normalizeBaseUrl("https://mona:s3cret@ghes.corp.example", "servers[0].url");
    } catch (error) {
      expect((error as Error).message).not.toContain("s3cret");
    }
  });
});
