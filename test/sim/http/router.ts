import type { Route, Target } from "./types.js";

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

/** `{name}` matches one path segment, `{name+}` the rest of the path (content paths). */
function compile(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .replace(/[.*?^$()|[\]\\]/g, "\\$&")
    .replace(/\{(\w+)(\+?)\}/g, (_m, name: string, rest: string) => {
      names.push(name);
      return rest ? "(.+)" : "([^/]+)";
    });
  return { regex: new RegExp(`^${source}/?$`), names };
}

/** Matches (target, method, path) to a route; first registered wins. */
export class Router {
  private readonly routes: Compiled[] = [];

  add(...routes: Route[]): void {
    for (const route of routes) this.routes.push({ route, ...compile(route.pattern) });
  }

  match(target: Target["kind"], method: string, path: string): { route: Route; params: Record<string, string> } | null {
    for (const { route, regex, names } of this.routes) {
      if (route.target !== target || route.method !== method) continue;
      const found = regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1] ?? "")));
      return { route, params };
    }
    return null;
  }
}
