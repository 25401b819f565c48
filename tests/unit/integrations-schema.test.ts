import { describe, expect, it } from "vitest";
import { createGithubIntegrationSchema } from "@/lib/queries/integrations";

const base = { name: "acme-ghe", token: "ghp_x", org: "acme" };
const parse = (baseUrl: string) => createGithubIntegrationSchema.safeParse({ ...base, baseUrl });
const problems = (baseUrl: string) => {
  const result = parse(baseUrl);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("a stored GitHub integration's base URL", () => {
  it("accepts https anywhere and plain http only on loopback, trimming trailing slashes", () => {
    for (const [input, stored] of [
      ["https://api.github.com", "https://api.github.com"],
      ["https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3"],
      [" https://ghe.example.com:8443/api/v3 ", "https://ghe.example.com:8443/api/v3"],
      ["http://127.0.0.1:4100", "http://127.0.0.1:4100"],
      ["http://localhost:4100/", "http://localhost:4100"],
      ["http://[::1]:4100", "http://[::1]:4100"],
    ] as const) {
      const result = parse(input);
      expect(result.success, input).toBe(true);
      expect(result.data?.baseUrl).toBe(stored);
    }
    expect(createGithubIntegrationSchema.parse(base).baseUrl).toBe("https://api.github.com");
  });

  it("refuses credentials, queries and fragments, which would be stored, shown and audited in clear text", () => {
    expect(problems("https://user:ghp_secret@ghe.example.com")).toEqual(["baseUrl: must not contain a user name or password; put the token in the token field"]);
    expect(problems("https://ghp_secret@ghe.example.com")).toEqual(["baseUrl: must not contain a user name or password; put the token in the token field"]);
    expect(problems("https://ghe.example.com/api/v3?access_token=ghp_secret")).toEqual(["baseUrl: must not contain a query string (?…)"]);
    expect(problems("https://ghe.example.com/api/v3?")).toEqual(["baseUrl: must not contain a query string (?…)"]);
    expect(problems("https://ghe.example.com/api/v3#token=ghp_secret")).toEqual(["baseUrl: must not contain a fragment (#…)"]);
  });

  it("refuses plain http to any host but loopback, and other schemes", () => {
    const httpOnly = "baseUrl: must use https (plain http only for 127.0.0.1, ::1 or localhost)";
    for (const input of ["http://ghe.example.com", "http://10.0.0.5:8080", "http://127.0.0.1.example.com", "http://localhost.example.com"]) {
      expect(problems(input), input).toEqual([httpOnly]);
    }
    expect(problems("ftp://ghe.example.com")).toEqual([httpOnly]);
    expect(problems("not a url")).toEqual(["baseUrl: must be a URL such as https://api.github.com"]);
  });
});
