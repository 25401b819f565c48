/**
 * The config-file image parser: on every file the sandbox's config repositories hold (kustomize
 * overlays and Helm values, compared with the image the generator wrote down for each commit) and
 * on hand-written files shaped like real-world ones.
 */
import { describe, expect, it } from "vitest";
import { generateScenarioWithCluster } from "@/lib/sandbox/scenario/generate-scenario";
import { imageFromManifest, imagesFromManifest, parseImageReference } from "@/lib/sources/github/config-images";

describe("imageFromManifest on the sandbox's config repositories", () => {
  const { truth } = generateScenarioWithCluster({ anchor: new Date("2026-11-27T12:00:00Z") });

  it("reads the image of every config commit, kustomize and Helm values alike", () => {
    const commits = truth.gitops.configCommits;
    const controllers = new Set(truth.gitops.apps.map((app) => app.controller));
    expect(controllers).toEqual(new Set(["argocd-application", "flux-kustomization", "flux-helmrelease"]));
    expect(commits.length).toBeGreaterThan(100);
    for (const commit of commits) {
      const image = imageFromManifest(commit.content);
      expect(image, `${commit.repository}@${commit.sha}`).not.toBeNull();
      expect(image!.reference).toBe(commit.image);
      expect(image!.tag).toBe(commit.imageTag);
      expect(image!.source).toBe(commit.path.endsWith("values.yaml") ? "helm-values" : "kustomize");
    }
  });
});

describe("imageFromManifest on real-world shapes", () => {
  it("reads kustomize images: newName, newTag and digest, with the sequence at the key's indent", () => {
    const text = [
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      "resources:",
      "- ../../base",
      "images:",
      "- name: api # the base's placeholder",
      "  newName: ghcr.io/acme/api",
      "  newTag: 3f2c1a9e8b7d6c5b4a39281706f5e4d3c2b1a098",
      "- name: nginx",
      "  digest: sha256:24a0c4b4a4c0eb97a1aabb8e29f18e917d05abfe1b7a7c07857230879ce7d3d3",
      "configMapGenerator:",
      "- name: app",
      "  literals: [LOG_LEVEL=info]",
    ].join("\n");
    expect(imagesFromManifest(text)).toEqual([
      { source: "kustomize", repository: "ghcr.io/acme/api", tag: "3f2c1a9e8b7d6c5b4a39281706f5e4d3c2b1a098", digest: null, reference: "ghcr.io/acme/api:3f2c1a9e8b7d6c5b4a39281706f5e4d3c2b1a098" },
      {
        source: "kustomize",
        repository: "nginx",
        tag: null,
        digest: "sha256:24a0c4b4a4c0eb97a1aabb8e29f18e917d05abfe1b7a7c07857230879ce7d3d3",
        reference: "nginx@sha256:24a0c4b4a4c0eb97a1aabb8e29f18e917d05abfe1b7a7c07857230879ce7d3d3",
      },
    ]);
    expect(imageFromManifest(text)).toBeNull();
    expect(imageFromManifest(text, "api")?.tag).toBe("3f2c1a9e8b7d6c5b4a39281706f5e4d3c2b1a098");
  });

  it("keeps a tag as written (no number parsing) and reads quoted values", () => {
    const text = ["images:", "  - name: 'registry.local:5000/shop/cart'", '    newTag: "1.10"', "  - name: worker", "    newTag: 0123e4"].join("\n");
    expect(imagesFromManifest(text).map((image) => image.reference)).toEqual(["registry.local:5000/shop/cart:1.10", "worker:0123e4"]);
  });

  it("reads Helm values: repository, tag, registry and digest, also nested under a HelmRelease's spec.values", () => {
    const values = ["replicaCount: 2", "image:", "  registry: docker.io", "  repository: bitnami/redis", "  tag: 7.2.4-debian-12-r9", "  pullPolicy: IfNotPresent", "service:", "  port: 6379"].join("\n");
    expect(imageFromManifest(values)).toMatchObject({ source: "helm-values", repository: "docker.io/bitnami/redis", tag: "7.2.4-debian-12-r9", reference: "docker.io/bitnami/redis:7.2.4-debian-12-r9" });
    const release = [
      "apiVersion: helm.toolkit.fluxcd.io/v2",
      "kind: HelmRelease",
      "metadata:",
      "  name: podinfo",
      "spec:",
      "  chart:",
      "    spec: {chart: podinfo, version: '6.x'}",
      "  values:",
      "    image:",
      "      repository: ghcr.io/stefanprodan/podinfo",
      "      tag: 6.5.4 # pinned",
    ].join("\n");
    expect(imageFromManifest(release)?.reference).toBe("ghcr.io/stefanprodan/podinfo:6.5.4");
    expect(imageFromManifest("image: {repository: nginx, tag: '1.25'}")?.reference).toBe("nginx:1.25");
  });

  it("reads plain manifests' image fields across documents, and not inside block scalars or comments", () => {
    const text = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata: {name: cfg}",
      "data:",
      "  compose.yaml: |",
      "    services:",
      "      web:",
      "        image: not-this:1",
      "---",
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: checkout",
      "spec:",
      "  template:",
      "    spec:",
      "      initContainers:",
      "        - name: migrate",
      "          image: registry.acme.dev/checkout:9c1d2e3 # same image, runs migrations",
      "      containers:",
      "        - name: checkout",
      "          # image: old:0",
      "          image: registry.acme.dev/checkout:9c1d2e3",
      "          ports:",
      "            - containerPort: 8080",
      "        - name: proxy",
      "          image: envoyproxy/envoy:v1.29.1@sha256:abc123",
    ].join("\n");
    expect(imagesFromManifest(text).map((image) => image.reference)).toEqual(["registry.acme.dev/checkout:9c1d2e3", "registry.acme.dev/checkout:9c1d2e3", "envoyproxy/envoy:v1.29.1@sha256:abc123"]);
    expect(imageFromManifest(text)).toBeNull();
    expect(imageFromManifest(text, "checkout")).toMatchObject({ source: "manifest", repository: "registry.acme.dev/checkout", tag: "9c1d2e3" });
    expect(imageFromManifest(text, "envoyproxy/envoy")).toMatchObject({ tag: "v1.29.1", digest: "sha256:abc123" });
  });

  it("returns null for a file without images", () => {
    expect(imageFromManifest("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n")).toBeNull();
    expect(imageFromManifest("")).toBeNull();
  });

  it("splits references: a registry port is not a tag", () => {
    expect(parseImageReference("localhost:5000/app")).toEqual({ repository: "localhost:5000/app", tag: null, digest: null });
    expect(parseImageReference("localhost:5000/app:v2@sha256:ff")).toEqual({ repository: "localhost:5000/app", tag: "v2", digest: "sha256:ff" });
  });
});
