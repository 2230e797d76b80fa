import net from "node:net";
import type { AddressInfo } from "node:net";

/** A TCP proxy to Redis that a test can cut and restore, to take "Redis" away from the app. */
export interface TcpProxy {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  /** Stops listening and cuts every connection (Redis is "down"). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * @example
 *   const proxy = await startTcpProxy("127.0.0.1", 6379);
 *   await proxy.stop(); // the app sees Redis go away
 */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: targetHost, port: targetPort });
    track(client);
    track(upstream);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  let listening = true;
  const stop = async () => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    async start() {
      if (listening) return;
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      listening = true;
    },
    close: stop,
  };
}
