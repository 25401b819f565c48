import { describe, expect, it } from "vitest";
import { type ExportRow, csvField, csvLines, csvStream, exportFileName } from "@/lib/data/metrics/export-metrics";
import { exportParamsSchema, exportUrl, teamServicesLinks } from "@/lib/queries/export";
import { toErrorResponse } from "@/lib/errors";
import { parseCsv } from "../fixtures/parse-csv";

describe("csvField (RFC 4180 with a formula guard)", () => {
  it("writes null as an empty field, numbers and flags as they are", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(0)).toBe("0");
    expect(csvField(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(csvField(-3.5)).toBe("-3.5"); // a negative number is a number, not a formula
    expect(csvField(1e-7)).toBe("1e-7");
    expect(csvField(true)).toBe("true");
    expect(csvField(false)).toBe("false");
    expect(csvField("")).toBe("");
  });

  it("quotes fields holding a comma, a quote, CR or LF, and doubles quotes", () => {
    expect(csvField("Payments, EU")).toBe('"Payments, EU"');
    expect(csvField('The "core" team')).toBe('"The ""core"" team"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField("plain text")).toBe("plain text");
  });

  it("prefixes text a spreadsheet would evaluate with a quote, then quotes as needed", () => {
    expect(csvField("=HYPERLINK(\"http://x\",\"y\")")).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-team")).toBe("'-team");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe('"\'\r=1"');
    expect(csvField("a=1")).toBe("a=1"); // only the first character matters
  });
});

describe("csvLines and csvStream", () => {
  const columns = [{ name: "name", description: "" }, { name: "value", description: "" }, { name: "flag", description: "" }];
  const rows: ExportRow[] = [
    { name: "a, b", value: 1.5, flag: true },
    { name: 'say "hi"\r\nbye', value: null, flag: false },
    { name: "=1+1", value: -2, flag: null },
  ];

  it("writes a header and one CRLF-terminated record per row, which a strict reader parses back", () => {
    const lines = [...csvLines({ columns, rows })];
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line.endsWith("\r\n")).toBe(true);
    expect(parseCsv(lines.join(""))).toEqual([
      ["name", "value", "flag"],
      ["a, b", "1.5", "true"],
      ['say "hi"\r\nbye', "", "false"],
      ["'=1+1", "-2", ""],
    ]);
  });

  it("streams the same bytes as the lines, in chunks, for more rows than one chunk holds", async () => {
    const many: ExportRow[] = Array.from({ length: 450 }, (_, index) => ({ name: `s-${index}, ü`, value: index, flag: index % 2 === 0 }));
    const stream = csvStream({ columns, rows: many });
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(chunks.length).toBeGreaterThan(1);
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    expect(text).toBe([...csvLines({ columns, rows: many })].join(""));
    expect(parseCsv(text)).toHaveLength(451);
  });

  it("an empty table is its header line", async () => {
    const text = await new Response(csvStream({ columns, rows: [] })).text();
    expect(text).toBe("name,value,flag\r\n");
  });
});

describe("the export's parameters, URL and file name", () => {
  it("builds the download URL with only the parameters set, in a fixed order", () => {
    expect(exportUrl("teams", "csv", {})).toBe("/api/metrics/export?table=teams&format=csv");
    expect(exportUrl("services", "json", { team: "payments,platform", days: 30, environment: "production" })).toBe(
      "/api/metrics/export?table=services&format=json&days=30&team=payments%2Cplatform&environment=production",
    );
  });

  it("parses what exportUrl builds, defaults the format to CSV, and refuses a bad table or format with a 422", () => {
    const url = new URL(exportUrl("overview", "json", { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }), "http://x");
    expect(exportParamsSchema.parse(Object.fromEntries(url.searchParams))).toEqual({ table: "overview", format: "json", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" });
    expect(exportParamsSchema.parse({ table: "services" }).format).toBe("csv");
    for (const bad of [{ table: "deployments" }, { table: "teams", format: "xlsx" }, {}, { table: "teams", days: "30", from: "2026-01-01T00:00:00Z" }, { table: "teams", bogus: "1" }]) {
      const result = exportParamsSchema.safeParse(bad);
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(toErrorResponse(result.error, "request").status).toBe(422);
    }
  });

  it("names the file after the table and the window: local days when whole days, compact UTC instants otherwise", () => {
    const days = { from: "2026-01-04T23:00:00.000Z", to: "2026-01-18T23:00:00.000Z" };
    expect(exportFileName("teams", "csv", days, "Europe/Berlin")).toBe("pipeline-health-teams-2026-01-05-2026-01-19.csv");
    expect(exportFileName("overview", "json", days, "UTC")).toBe("pipeline-health-overview-20260104T230000Z-20260118T230000Z.json");
  });
});

describe("teamServicesLinks", () => {
  const group = (activeServiceCount: number) => ({ activeServiceCount });
  const team = (active: number, devops: number | null, gitops: number | null) =>
    ({ slug: "payments", activeServiceCount: active, byMethodology: { devops: devops === null ? null : group(devops), gitops: gitops === null ? null : group(gitops) } }) as Parameters<
      typeof teamServicesLinks
    >[0];

  it("links a methodology row to the services that shipped only that way and to those that shipped both ways", () => {
    // 4 active services: 3 with DevOps, 2 with GitOps → 1 shipped both ways.
    expect(teamServicesLinks(team(4, 3, 2), "devops", { days: 30 })).toEqual([
      { filter: "devops", serviceCount: 2, href: "/services?team=payments&methodology=devops&days=30" },
      { filter: "both", serviceCount: 1, href: "/services?team=payments&methodology=both&days=30" },
    ]);
    expect(teamServicesLinks(team(4, 3, 2), "gitops", {})).toEqual([
      { filter: "gitops", serviceCount: 1, href: "/services?team=payments&methodology=gitops" },
      { filter: "both", serviceCount: 1, href: "/services?team=payments&methodology=both" },
    ]);
  });

  it("links a single-methodology team to one list, the all row to the team's list with the window, and an absent methodology nowhere", () => {
    expect(teamServicesLinks(team(2, 2, null), "devops", {})).toEqual([{ filter: "devops", serviceCount: 2, href: "/services?team=payments&methodology=devops" }]);
    expect(teamServicesLinks(team(2, 2, 2), "devops", {})).toEqual([{ filter: "both", serviceCount: 2, href: "/services?team=payments&methodology=both" }]);
    expect(teamServicesLinks(team(2, 2, null), "gitops", {})).toEqual([]);
    expect(teamServicesLinks(team(2, 2, null), "all", { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", environment: "staging" })).toEqual([
      { filter: null, serviceCount: 2, href: "/services?team=payments&from=2026-01-01T00%3A00%3A00Z&to=2026-02-01T00%3A00%3A00Z" },
    ]);
  });
});
