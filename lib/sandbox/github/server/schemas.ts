/**
 * GitHub's response shapes, from the typings generated off the same OpenAPI description the tests
 * validate against. Serializers return these types, so a missing required field fails `tsc` before it
 * fails the schema test.
 */
import type { components } from "@octokit/openapi-types";

export type Schemas = components["schemas"];

/** GitHub's legacy global node ids (`base64("<len>:<Type><id>")`): stable, opaque and unique per type. */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString("base64");
}

/** A stable positive id for things the model does not number (labels, unknown users). */
export function stableId(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  // Kept above typical model ids so a derived id never collides with a generated one.
  return 100_000_000 + ((hash >>> 0) % 900_000_000);
}
