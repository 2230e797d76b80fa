import { Agent } from "undici";
import { type TimeoutsConfig, timeoutsSchema } from "../config/index.js";
import { InputError } from "../shared/index.js";

/** The deadlines of one kind of request, in ms. */
export interface RequestDeadlines {
  /** Longest wait for the TCP (and TLS) connection. */
  connectMs: number;
  /** Longest silence: waiting for the headers, or for the next piece of the body while it is read. */
  idleMs: number;
  /** Longest the whole request may take, from the first byte sent to the last byte read. */
  totalMs: number;
}

/** Which deadline a request passed, and the deployment config key that sets it. */
type Phase = "connect" | "idle" | "total";

/** The keys an operator raises; error messages name these, never the code's option names. */
export const TIMEOUT_KEYS = {
  connect: "timeouts.connectSeconds",
  idle: "timeouts.idleSeconds",
  request: "timeouts.requestSeconds",
  report: "timeouts.reportSeconds",
} as const;

/** The deployment config's timeouts as the deadlines of API requests (`report: true`: of a report download). */
export function deadlinesOf(timeouts: TimeoutsConfig, report = false): RequestDeadlines {
  return {
    connectMs: timeouts.connectSeconds * 1000,
    idleMs: timeouts.idleSeconds * 1000,
    totalMs: (report ? timeouts.reportSeconds : timeouts.requestSeconds) * 1000,
  };
}

/** The deployment config's default deadlines of API requests. */
export const DEFAULT_DEADLINES: RequestDeadlines = deadlinesOf(timeoutsSchema.parse({}));
/** The deployment config's default deadlines of a GHES report download. */
export const DEFAULT_REPORT_DEADLINES: RequestDeadlines = deadlinesOf(timeoutsSchema.parse({}), true);

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(2))} s`;

/**
 * A request passed one of its deadlines. Transient (the job retries it, as any network
 * failure); the message names the host and the config key to raise, never the URL.
 */
export class DeadlineError extends Error {
  /** Read by `failureKind` (a network failure). */
  readonly code = "ETIMEDOUT";
  constructor(
    /** What was called, as operators name it: `GHES ghes-a.corp.example`, `GitHub api.github.com`. */
    readonly service: string,
    readonly phase: Phase,
    readonly limitMs: number,
    /** The deployment config key that sets this deadline. */
    readonly setting: string,
    options?: ErrorOptions,
  ) {
    const what = {
      connect: `no connection within ${seconds(limitMs)}`,
      idle: `nothing received for ${seconds(limitMs)}`,
      total: `the answer took longer than ${seconds(limitMs)}`,
    }[phase];
    super(
      `${service}: ${what} (${setting}). Check the network path to the host, or raise ${setting} in the deployment config if it is just slow.`,
      options,
    );
    this.name = "DeadlineError";
  }
}

// One connection pool per connect deadline: pools are shared by clients and never block exit.
const agents = new Map<number, Agent>();
function agentFor(connectMs: number): Agent {
  let agent = agents.get(connectMs);
  // Idle and total deadlines are enforced below, with messages that name their keys.
  if (!agent)
    agents.set(connectMs, (agent = new Agent({ connect: { timeout: connectMs }, headersTimeout: 0, bodyTimeout: 0 })));
  return agent;
}

function causeCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Largest API answer read whole: GitHub's largest pages (100 consumed licenses, 100 identities)
 * are well under 1 MB, so this only stops a broken or hostile server sending without end, which
 * would otherwise be buffered until the total deadline (gigabytes at LAN speed).
 */
export const API_ANSWER_MAX_BYTES = 64 * 1024 * 1024;

/** An answer read whole was larger than {@link API_ANSWER_MAX_BYTES}. Names the host, never the URL. */
export class AnswerTooLargeError extends Error {
  constructor(
    readonly service: string,
    readonly limitBytes: number,
  ) {
    super(
      `${service}: the answer is larger than ${Math.round(limitBytes / 1024 / 1024)} MB, far more than any GitHub API page; reading stopped. Check what answers at this address (a proxy or a wrong URL in the deployment config).`,
    );
    this.name = "AnswerTooLargeError";
  }
}

export interface DeadlineFetchOptions {
  deadlines: RequestDeadlines;
  /** What is called, for messages: `GHES ghes-a.corp.example`, `GitHub api.github.com`. */
  service: string;
  /** The key that sets `totalMs` (`timeouts.requestSeconds` or `timeouts.reportSeconds`). */
  totalSetting: string;
  /** The fetch underneath (default: the global fetch at call time, so test interceptors apply). */
  fetch?: typeof fetch;
  /**
   * Read the whole body before answering, so a deadline passed while reading it rejects the
   * fetch itself. For Octokit, which reads bodies whole anyway and turns a failed read into an
   * empty answer instead of an error. Streaming callers (the report) leave it off.
   */
  readWhole?: boolean;
  /** With `readWhole`: the largest body read (default {@link API_ANSWER_MAX_BYTES}). */
  maxBytes?: number;
}

/** The origin a fetch was asked for, whatever form its input takes. */
function requestOrigin(input: Parameters<typeof fetch>[0]): string {
  return new URL(typeof input === "string" || input instanceof URL ? input : input.url).origin;
}

/**
 * A fetch whose every call has a connect, an idle and a total deadline. The idle clock runs
 * while waiting for the headers and while a read of the body is pending, never while the
 * caller is busy with what it read: a slow consumer is not a silent server. The total clock
 * runs until the body is read or cancelled.
 *
 * @example const fetchWithin = deadlineFetch({ deadlines: { connectMs: 10_000, idleMs: 60_000, totalMs: 300_000 }, service: "GHES ghes-a.corp.example", totalSetting: "timeouts.requestSeconds" });
 */
export function deadlineFetch(options: DeadlineFetchOptions): typeof fetch {
  const { deadlines, service } = options;
  const dispatcher = agentFor(deadlines.connectMs);
  const settingOf = (phase: Phase) => (phase === "total" ? options.totalSetting : TIMEOUT_KEYS[phase]);
  const limitOf = (phase: Phase) =>
    ({ connect: deadlines.connectMs, idle: deadlines.idleMs, total: deadlines.totalMs })[phase];

  return async (input, init = {}) => {
    const controller = new AbortController();
    let failure: DeadlineError | undefined;
    const fail = (phase: Phase) => {
      failure ??= new DeadlineError(service, phase, limitOf(phase), settingOf(phase));
      controller.abort(failure);
    };
    const total = setTimeout(() => fail("total"), deadlines.totalMs);
    let idle: NodeJS.Timeout | undefined;
    const startIdle = () => (idle = setTimeout(() => fail("idle"), deadlines.idleMs));
    const stopIdle = () => clearTimeout(idle);
    const outer = init.signal;
    const passOn = () => controller.abort(outer?.reason);
    const done = () => {
      stopIdle();
      clearTimeout(total);
      // One caller's signal may serve many requests (every page of a read): leave none listening.
      outer?.removeEventListener("abort", passOn);
    };
    const translate = (error: unknown): unknown => {
      if (failure) return failure;
      if (causeCode(error) === "UND_ERR_CONNECT_TIMEOUT")
        return new DeadlineError(service, "connect", deadlines.connectMs, TIMEOUT_KEYS.connect, { cause: error });
      return error;
    };
    if (outer?.aborted) controller.abort(outer.reason);
    else outer?.addEventListener("abort", passOn, { once: true });

    const base = options.fetch ?? globalThis.fetch;
    startIdle();
    let response: Response;
    try {
      response = await base(input, { ...init, signal: controller.signal, dispatcher } as RequestInit);
    } catch (error) {
      done();
      throw translate(error);
    }
    stopIdle();
    if (options.readWhole && response.url && new URL(response.url).origin !== requestOrigin(input)) {
      // An API that redirects to another host (a metadata address, an attacker's server) would
      // have its answer read as GitHub's. undici drops the token on the way; the answer we drop here.
      done();
      await response.body?.cancel().catch(() => undefined);
      throw new InputError(
        service,
        "",
        `answered from another host (${new URL(response.url).host}) after a redirect`,
        "Point the configured URL at the API itself: license-sync reads API answers only from the host it asked.",
      );
    }
    if (!response.body) {
      done();
      return response;
    }
    const maxBytes = options.readWhole ? (options.maxBytes ?? API_ANSWER_MAX_BYTES) : Number.POSITIVE_INFINITY;
    if (Number(response.headers.get("content-length") ?? 0) > maxBytes) {
      done();
      await response.body.cancel().catch(() => undefined);
      throw new AnswerTooLargeError(service, maxBytes);
    }
    const reader = response.body.getReader();
    let received = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        startIdle();
        try {
          const { done: end, value } = await reader.read();
          stopIdle();
          if (end) {
            done();
            stream.close();
          } else if ((received += value.byteLength) > maxBytes) {
            done();
            stream.error(new AnswerTooLargeError(service, maxBytes));
            await reader.cancel().catch(() => undefined);
          } else stream.enqueue(value);
        } catch (error) {
          done();
          stream.error(translate(error));
        }
      },
      async cancel(reason) {
        done();
        await reader.cancel(reason);
      },
    });
    let content: ReadableStream<Uint8Array> | ArrayBuffer = body;
    if (options.readWhole) {
      try {
        content = await new Response(body).arrayBuffer();
      } catch (error) {
        throw error instanceof AnswerTooLargeError ? error : translate(error);
      }
    }
    const wrapped = new Response(content, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // Redirects were followed: callers look at where they ended up (GHES's sign-in page).
    Object.defineProperty(wrapped, "url", { value: response.url });
    return wrapped;
  };
}
