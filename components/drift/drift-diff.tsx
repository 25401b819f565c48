import { clsx } from "clsx";
import type { DriftResourceDto } from "@/lib/queries/drift";

type Diff = NonNullable<DriftResourceDto["diff"]>;

/**
 * A live-vs-desired line diff. Every changed line starts with a visible − or + (and says "live
 * only" / "desired only" to screen readers), so the colour only repeats what the text says.
 */
export function DriftDiff({ diff, label }: { diff: Diff; label: string }) {
  return (
    <figure className="flex flex-col gap-2">
      <figcaption className="text-xs text-muted">
        <span className="font-mono">−</span> live only (in the cluster) · <span className="font-mono">+</span> desired only (in Git): {diff.removed}{" "}
        {diff.removed === 1 ? "line" : "lines"} removed, {diff.added} {diff.added === 1 ? "line" : "lines"} added by a sync.
        {diff.note ? ` ${diff.note}` : ""}
      </figcaption>
      {/* A region with a name so keyboard users can scroll a wide document. */}
      <div role="region" aria-label={`Diff of ${label}`} tabIndex={0} className="max-h-96 overflow-auto rounded-md border border-line bg-surface-sunken">
        <pre className="min-w-max font-mono text-xs leading-5" data-testid="drift-diff">
          {diff.lines.map((line, index) => {
            if (line.op === "skip") {
              return (
                <div key={index} className="bg-surface px-3 text-subtle italic select-none">
                  ⋯ {line.count} unchanged {line.count === 1 ? "line" : "lines"}
                </div>
              );
            }
            const sign = line.op === "add" ? "+" : line.op === "remove" ? "−" : " ";
            return (
              <div
                key={index}
                data-op={line.op}
                className={clsx("flex px-3", line.op === "add" && "bg-success-bg text-success-fg", line.op === "remove" && "bg-danger-bg text-danger-fg", line.op === "same" && "text-fg")}
              >
                <span aria-hidden="true" className="w-4 shrink-0 select-none">
                  {sign}
                </span>
                {line.op === "add" ? <span className="sr-only">desired only: </span> : null}
                {line.op === "remove" ? <span className="sr-only">live only: </span> : null}
                <span className="whitespace-pre">{line.text}</span>
              </div>
            );
          })}
        </pre>
      </div>
    </figure>
  );
}
