import { InputError } from "../shared/index.js";

/**
 * Checks a configured URL and returns it without trailing slashes. Credentials in the URL are
 * refused: they would end up in logs and error messages; tokens belong in the token setting.
 *
 * @example normalizeBaseUrl("https://api.acme.ghe.com/", "cloud.apiUrl") // "https://api.acme.ghe.com"
 */
export function normalizeBaseUrl(value: string, setting: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      "deployment config",
      setting,
      // The value is not quoted: a token pasted into the wrong setting would be echoed into logs.
      "is not a URL",
      "Give an absolute URL such as https://ghes.corp.example.",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(
      "deployment config",
      setting,
      `unsupported protocol ${url.protocol}`,
      "Use an https:// (or http:// for loopback) URL.",
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      "deployment config",
      setting,
      "the URL contains credentials",
      "Remove user:password@ from the URL and set the token in the token setting.",
    );
  }
  if (url.search || url.hash) {
    throw new InputError(
      "deployment config",
      setting,
      "the URL has a query or fragment",
      "Give the bare URL of the host.",
    );
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Rejects a missing or empty token (an unset `${VAR}` expands to "").
 *
 * @example const token = requireToken(config.cloud.token, "cloud.token", "Set cloud.token to a classic PAT.");
 */
export function requireToken(token: string | undefined, setting: string, fix: string): string {
  if (token === undefined || token.trim() === "") {
    throw new InputError("deployment config", setting, "the token is missing or empty", fix);
  }
  return token.trim();
}

/**
 * The host of a URL (`api.github.com`, without any userinfo), or undefined for what is not one.
 *
 * @example hostOf("https://api.github.com/graphql") // "api.github.com"
 */
export function hostOf(url: unknown): string | undefined {
  try {
    return typeof url === "string" ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}
