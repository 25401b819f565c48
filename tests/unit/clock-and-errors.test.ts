import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { frozenClock, getClock, now, setClock, systemClock } from "@/lib/clock";
import { AppError, toErrorResponse } from "@/lib/errors";

describe("clock", () => {
  it("can be frozen, moved and restored", () => {
    const clock = frozenClock("2026-11-27T10:00:00Z");
    const restore = setClock(clock);
    expect(now().toISOString()).toBe("2026-11-27T10:00:00.000Z");
    clock.advance(90_000);
    expect(now().toISOString()).toBe("2026-11-27T10:01:30.000Z");
    clock.set("2027-01-01T00:00:00Z");
    expect(getClock().now().toISOString()).toBe("2027-01-01T00:00:00.000Z");
    restore();
    expect(getClock()).not.toBe(clock);
  });

  it("hands out copies, so a caller cannot move time by mutating a Date", () => {
    const clock = frozenClock("2026-11-27T10:00:00Z");
    clock.now().setFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2026);
    expect(systemClock.now()).toBeInstanceOf(Date);
  });
});

describe("error mapping", () => {
  it("keeps an AppError's status and message", () => {
    expect(toErrorResponse(new AppError("NOT_FOUND", "No service called api"), "r1")).toEqual({
      status: 404,
      body: { error: { code: "NOT_FOUND", message: "No service called api", details: undefined, requestId: "r1" } },
    });
  });

  it("turns validation failures into a 422 that names each bad field", () => {
    const parsed = z.object({ from: z.iso.datetime(), limit: z.coerce.number().max(500) }).safeParse({ from: "soon", limit: "900" });
    const { status, body } = toErrorResponse(parsed.error, "r2");
    expect(status).toBe(422);
    expect(body.error.code).toBe("UNPROCESSABLE");
    expect(body.error.message).toMatch(/^from: .+; limit: .+500/);
  });

  it("hides everything about an unexpected error but logs it", () => {
    const log = vi.fn();
    const secret = new Error("password authentication failed for user admin at 10.0.0.5");
    expect(toErrorResponse(secret, "r3", log)).toEqual({ status: 500, body: { error: { code: "INTERNAL", message: "Internal server error", requestId: "r3" } } });
    expect(log).toHaveBeenCalledWith("unhandled error (request r3)", secret);
  });
});
