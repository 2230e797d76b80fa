import type { Reply } from "../http/types.js";

/** GitHub's 404 body. */
export function notFound(): Reply {
  return {
    status: 404,
    body: { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" },
  };
}

/** GitHub's 422 body; `errors` follows GitHub's `{ resource, field, code }` shape. */
export function validationFailed(
  errors: Array<{ resource: string; field?: string; code: string; message?: string }>,
  message = "Validation Failed",
): Reply {
  return { status: 422, body: { message, errors, documentation_url: "https://docs.github.com/rest", status: "422" } };
}

/** `per_page`/`page` as GitHub reads them: default 30, at most 100, page from 1. */
export function paging(query: URLSearchParams): { perPage: number; page: number } {
  const perPage = Number.parseInt(query.get("per_page") ?? "", 10);
  const page = Number.parseInt(query.get("page") ?? "", 10);
  return {
    perPage: Number.isFinite(perPage) && perPage > 0 ? Math.min(perPage, 100) : 30,
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}
