/**
 * The sandbox's kubeconfig as @kubernetes/client-node reads it: one cluster, one bearer-token user,
 * one current context, all named `sandbox`; plain HTTP allowed only through the flag client-node
 * demands for it; and written to disk readable by its owner only.
 */
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, describe, expect, it } from "vitest";
import { sandboxKubeconfig, writeKubeconfig } from "@/lib/sandbox/start-sandbox";
import { createKubernetesClient } from "@/lib/sources/kubernetes/client";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("sandboxKubeconfig", () => {
  it("loads in client-node with one cluster, user and context named sandbox", async () => {
    const config = new KubeConfig();
    config.loadFromString(sandboxKubeconfig({ server: "http://127.0.0.1:6443", token: "t0ken" }));
    expect(config.getContexts().map((context) => context.name)).toEqual(["sandbox"]);
    expect(config.getCurrentContext()).toBe("sandbox");
    expect(config.getClusters()).toHaveLength(1);
    expect(config.getCurrentCluster()).toMatchObject({ name: "sandbox", server: "http://127.0.0.1:6443", skipTLSVerify: true });
    expect(config.getUsers()).toHaveLength(1);
    expect(config.getCurrentUser()).toMatchObject({ name: "sandbox", token: "t0ken" });
    // The bearer token is what client-node sends.
    const options: { headers?: Record<string, string> } = {};
    await config.applyToHTTPSOptions(options);
    expect(options.headers?.Authorization).toBe("Bearer t0ken");
  });

  it("asks to skip TLS verification only for a plain-HTTP server", () => {
    const config = new KubeConfig();
    config.loadFromString(sandboxKubeconfig({ server: "https://127.0.0.1:6443", token: "t" }));
    expect(config.getCurrentCluster()?.skipTLSVerify).toBe(false);
  });

  it("round-trips through a file written with mode 0600 that the client loads", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kubeconfig-"));
    dirs.push(dir);
    const file = path.join(dir, "nested", "config");
    await writeKubeconfig(file, sandboxKubeconfig({ server: "http://127.0.0.1:6443", token: "t" }));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(createKubernetesClient({ kubeconfigPath: file }).server).toBe("http://127.0.0.1:6443");

    // An existing, more open file is tightened too.
    const open = path.join(dir, "open");
    await writeFile(open, "", { mode: 0o644 });
    await writeKubeconfig(open, sandboxKubeconfig({ server: "http://127.0.0.1:6443", token: "t" }));
    expect((await stat(open)).mode & 0o777).toBe(0o600);
  });

  it("refuses a plain-HTTP cluster without the skip flag up front, with a clear error", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kubeconfig-"));
    dirs.push(dir);
    const file = path.join(dir, "config");
    const config = JSON.parse(sandboxKubeconfig({ server: "http://127.0.0.1:6443", token: "t" })) as { clusters: { cluster: Record<string, unknown> }[] };
    delete config.clusters[0]!.cluster["insecure-skip-tls-verify"];
    await writeFile(file, JSON.stringify(config));
    expect(() => createKubernetesClient({ kubeconfigPath: file })).toThrow(/plain HTTP.*insecure-skip-tls-verify/);
  });
});
