import type http from "node:http";
import type { AddressInfo } from "node:net";

/** Listens on `host:port` (0: a free port) and resolves with the server's base URL; a bind error rejects. */
export async function listenOnLoopback(server: http.Server, port: number, host = "127.0.0.1"): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
}

/**
 * A `stop` that can be called more than once (a test that stops a server early and its teardown
 * both call it). `beforeClose` ends what never ends by itself (watch streams); open keep-alive
 * sockets are closed too, or `close` would wait for clients to time out.
 */
export function stopOnce(server: http.Server, beforeClose: () => void = () => {}): () => Promise<void> {
  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= new Promise<void>((resolve, reject) => {
      beforeClose();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return stopping;
  };
}
