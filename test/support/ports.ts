import net from "node:net";

/**
 * A loopback port nothing listens on right now: bind one, then let it go. For a process a test
 * starts on its own port, or for a connection that must be refused.
 *
 * @example const port = await freePort();
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
