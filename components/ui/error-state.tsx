import { clsx } from "clsx";
import { Button } from "./button";

/**
 * A failed section: what failed, in words a user can act on, and a way to try again.
 * `role="alert"` so the failure is announced when it replaces a loading skeleton.
 */
export function ErrorState({
  title = "This section could not be loaded",
  message,
  onRetry,
  retrying = false,
  compact = false,
  className,
}: {
  title?: string;
  message: string;
  onRetry?: () => void;
  retrying?: boolean;
  /** For narrow places such as the sidebar: the message stays, the chrome goes. */
  compact?: boolean;
  className?: string;
}) {
  if (compact) {
    return (
      <div role="alert" className={clsx("flex flex-col gap-1 text-xs", className)}>
        <p className="font-semibold text-danger-fg">{title}</p>
        <p className="break-words text-muted">{message}</p>
        {onRetry ? (
          <button
            type="button"
            onClick={onRetry}
            disabled={retrying}
            className="self-start font-medium text-accent underline underline-offset-2 hover:no-underline"
          >
            {retrying ? "Retrying…" : "Try again"}
          </button>
        ) : null}
      </div>
    );
  }
  return (
    <div role="alert" className={clsx("flex items-start gap-3 rounded-lg border border-danger-fg/30 bg-danger-bg px-4 py-3", className)}>
      <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-0.5 size-5 shrink-0 text-danger-fg" fill="currentColor">
        <path d="M10 1.75a8.25 8.25 0 1 0 0 16.5 8.25 8.25 0 0 0 0-16.5Zm-.75 4.5a.75.75 0 0 1 1.5 0v4.5a.75.75 0 0 1-1.5 0v-4.5ZM10 14.75a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z" />
      </svg>
      <div className="min-w-0 flex-1">
        <p className="text-sm font-semibold text-danger-fg">{title}</p>
        <p className="mt-1 text-sm break-words text-danger-fg">{message}</p>
        {onRetry ? (
          <Button className="mt-3" onClick={onRetry} disabled={retrying}>
            {retrying ? "Retrying…" : "Try again"}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

/** Turns whatever was thrown into one sentence, without leaking stack traces into the page. */
export function describeError(error: unknown): string {
  if (error instanceof Error && error.message && error.message !== "redacted") {
    // Production server errors arrive as a generic message with a digest; point at the server log.
    if ("digest" in error && typeof error.digest === "string") {
      return `The server could not produce this data (reference ${error.digest}). Details are in the server log.`;
    }
    return error.message;
  }
  return "Something went wrong while loading this data.";
}
