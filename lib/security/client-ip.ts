import { isIP } from "node:net";

/** The request header proxy.ts sets (replacing any value a client sent) with the resolved client address. */
export const CLIENT_IP_HEADER = "x-pipeline-health-client-ip";

/**
 * The client's address from `X-Forwarded-For`, trusting exactly `trustedHops` proxies in front of us:
 * each appends the address it received from, so the client is the entry that many places from the
 * right. Anything further left was written by the client and proves nothing. With no trusted proxy
 * the last entry is taken: Next.js fills the header from the socket only when it is absent, so a
 * directly exposed server cannot tell a forged one, which is why production belongs behind a proxy.
 */
export function resolveClientIp(forwardedFor: string | null, trustedHops: number): string | null {
  if (!forwardedFor) return null;
  const chain = forwardedFor.split(",").map((entry) => entry.trim()).filter(Boolean);
  const candidate = chain[chain.length - 1 - trustedHops] ?? chain[0];
  if (!candidate) return null;
  // IPv4-mapped IPv6 and a bracketed or port-suffixed form are normalised to the bare address.
  const bare = candidate.replace(/^\[(.*)\](?::\d+)?$/, "$1").replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1").replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
  return isIP(bare) ? bare : null;
}
