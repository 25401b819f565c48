/**
 * Which image a GitOps config file names (DESIGN §3, "Deployed commit"): kustomize `images:`
 * entries (`newName`/`newTag`/`digest`), Helm values `image.repository`/`image.tag` (also
 * `image.registry`/`image.digest`, and inside a HelmRelease's `spec.values`), and plain manifests'
 * `image:` fields. Pure: text in, images out.
 *
 * The YAML here is read by a small block-style parser rather than a YAML library: config files are
 * block mappings and sequences, and a full YAML reading would also turn `tag: 1.10` into the number
 * 1.1 and `tag: 0123e4` into a float, while what matters is the text a person wrote, which is what
 * the registry and the app repository's sha are matched against. Flow collections (`{...}`,
 * `[...]`) on one line are read too; block scalars (`|`, `>`) are skipped, so an `image:` inside a
 * ConfigMap's embedded file is not mistaken for the workload's.
 */

export interface ManifestImage {
  /** Where it was found: a kustomization's `images:`, a Helm `image:` map, or a manifest's `image:` string. */
  source: "kustomize" | "helm-values" | "manifest";
  /** Image name without tag or digest (registry and path), e.g. `registry.example.com/team/api`. */
  repository: string;
  tag: string | null;
  /** `sha256:…` when pinned by digest. */
  digest: string | null;
  /** `repository[:tag][@digest]`, as a container runtime would pull it. */
  reference: string;
}

type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };
type YamlMap = { [key: string]: YamlValue };

/** Every image the file names, in document order. */
export function imagesFromManifest(text: string): ManifestImage[] {
  const images: ManifestImage[] = [];
  for (const doc of parseDocuments(text)) {
    if (isMap(doc) && Array.isArray(doc.images)) images.push(...kustomizeImages(doc.images));
    collectImageFields(doc, images);
  }
  return images;
}

/**
 * The one image the file names, or, when it names several, the one whose repository is `name` (or
 * ends in `/name`); null when there is none or the choice would be a guess.
 */
export function imageFromManifest(text: string, name?: string): ManifestImage | null {
  const images = imagesFromManifest(text);
  const distinct = [...new Map(images.map((image) => [image.reference, image])).values()];
  if (distinct.length === 1) return distinct[0]!;
  if (name === undefined) return null;
  const matching = distinct.filter((image) => image.repository === name || image.repository.endsWith(`/${name}`));
  return matching.length === 1 ? matching[0]! : null;
}

/** Splits `registry/repo:tag@sha256:…`; a `:` before the last `/` is a registry port, not a tag. */
export function parseImageReference(reference: string): { repository: string; tag: string | null; digest: string | null } {
  const at = reference.indexOf("@");
  const digest = at === -1 ? null : reference.slice(at + 1) || null;
  const named = at === -1 ? reference : reference.slice(0, at);
  const colon = named.lastIndexOf(":");
  const hasTag = colon > named.lastIndexOf("/");
  return { repository: hasTag ? named.slice(0, colon) : named, tag: hasTag ? named.slice(colon + 1) || null : null, digest };
}

function image(source: ManifestImage["source"], repository: string, tag: string | null, digest: string | null): ManifestImage {
  return { source, repository, tag, digest, reference: `${repository}${tag ? `:${tag}` : ""}${digest ? `@${digest}` : ""}` };
}

function kustomizeImages(entries: YamlValue[]): ManifestImage[] {
  const out: ManifestImage[] = [];
  for (const entry of entries) {
    if (!isMap(entry) || typeof entry.name !== "string") continue;
    const newName = typeof entry.newName === "string" ? entry.newName : null;
    const newTag = typeof entry.newTag === "string" ? entry.newTag : null;
    const digest = typeof entry.digest === "string" ? entry.digest : null;
    out.push(image("kustomize", newName ?? entry.name, newTag, digest));
  }
  return out;
}

/** `image:` keys anywhere: a string is a manifest's container image, a map with `repository` Helm values. */
function collectImageFields(node: YamlValue, out: ManifestImage[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectImageFields(item, out);
    return;
  }
  if (!isMap(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "image" && typeof value === "string" && value !== "") {
      const parsed = parseImageReference(value);
      out.push(image("manifest", parsed.repository, parsed.tag, parsed.digest));
    } else if (key === "image" && isMap(value) && typeof value.repository === "string") {
      const registry = typeof value.registry === "string" && value.registry !== "" ? `${value.registry.replace(/\/+$/, "")}/` : "";
      const tag = typeof value.tag === "string" && value.tag !== "" ? value.tag : null;
      const digest = typeof value.digest === "string" && value.digest !== "" ? value.digest : null;
      out.push(image("helm-values", `${registry}${value.repository}`, tag, digest));
    } else {
      collectImageFields(value, out);
    }
  }
}

function isMap(value: YamlValue | undefined): value is YamlMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// A block-style YAML subset: mappings, sequences, plain and quoted scalars, one-line flow collections.

interface Line {
  indent: number;
  text: string;
}

function parseDocuments(text: string): YamlValue[] {
  const docs: Line[][] = [[]];
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (/^(---|\.\.\.)(\s|$)/.test(raw)) {
      docs.push([]);
      continue;
    }
    const content = stripComment(raw).replace(/\s+$/, "");
    if (content.trim() === "" || content.trimStart().startsWith("%")) continue;
    const indent = content.length - content.trimStart().length;
    docs.at(-1)!.push({ indent, text: content.trimStart() });
  }
  return docs.filter((lines) => lines.length > 0).map((lines) => new BlockParser(lines).parseValue(0));
}

/** Drops a `#` comment that starts a line or follows whitespace, outside quotes. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === "#" && (index === 0 || /\s/.test(line[index - 1]!))) {
      return line.slice(0, index);
    }
  }
  return line;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'\-?:,[\]{}#&*!|>%@`][^]*?|-[^\s][^]*?)\s*:(?:\s+(.*))?$/;

function isDash(text: string): boolean {
  return text === "-" || text.startsWith("- ");
}

class BlockParser {
  private index = 0;
  constructor(private readonly lines: Line[]) {}

  /** The node starting at the current line, if it is indented at least `minIndent`. */
  parseValue(minIndent: number): YamlValue {
    const line = this.lines[this.index];
    if (!line || line.indent < minIndent) return null;
    if (isDash(line.text)) return this.parseSequence(line.indent);
    if (KEY.test(line.text)) return this.parseMapping(line.indent);
    this.index++;
    return scalar(line.text);
  }

  private parseSequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    for (let line = this.lines[this.index]; line && line.indent === indent && isDash(line.text); line = this.lines[this.index]) {
      const rest = line.text.slice(1).trimStart();
      if (rest === "") {
        this.index++;
        items.push(this.parseValue(indent + 1));
      } else {
        // The item's content stands where it starts on the line; its continuation lines align with it.
        const itemIndent = indent + (line.text.length - rest.length);
        this.lines[this.index] = { indent: itemIndent, text: rest };
        items.push(this.parseValue(itemIndent));
      }
    }
    return items;
  }

  private parseMapping(indent: number): YamlMap {
    const map: YamlMap = {};
    for (let line = this.lines[this.index]; line && line.indent >= indent; line = this.lines[this.index]) {
      if (line.indent > indent) {
        // Continuation of a multi-line plain scalar, or something this subset does not read: skipped.
        this.index++;
        continue;
      }
      const match = isDash(line.text) ? null : KEY.exec(line.text);
      if (!match) break;
      this.index++;
      const key = unquote(match[1]!);
      const rest = (match[2] ?? "").trim();
      if (rest === "") {
        const next = this.lines[this.index];
        // A sequence may sit at the key's own indent (`images:\n- name: x`), as kustomize files often have it.
        map[key] = next && (next.indent > indent || (next.indent === indent && isDash(next.text))) ? this.parseValue(next.indent) : null;
      } else if (/^[|>][0-9+-]*$/.test(rest)) {
        while (this.lines[this.index] && this.lines[this.index]!.indent > indent) this.index++;
        map[key] = "";
      } else {
        map[key] = scalar(rest);
      }
    }
    return map;
  }
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1).replace(/\\(.)/g, "$1");
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  return text;
}

function scalar(text: string): YamlValue {
  if (text === "~" || text === "null" || text === "Null" || text === "NULL") return null;
  if (text.startsWith("{") && text.endsWith("}")) {
    const map: YamlMap = {};
    for (const part of splitFlow(text.slice(1, -1))) {
      const match = /^([^:]+?)\s*:\s*(.*)$/.exec(part);
      if (match) map[unquote(match[1]!.trim())] = scalar(match[2]!.trim());
    }
    return map;
  }
  if (text.startsWith("[") && text.endsWith("]")) return splitFlow(text.slice(1, -1)).map((part) => scalar(part));
  return unquote(text);
}

/** Top-level comma-separated parts of a one-line flow collection. */
function splitFlow(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = "";
  for (const char of body) {
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
    else if (char === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
      continue;
    }
    current += char;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}
