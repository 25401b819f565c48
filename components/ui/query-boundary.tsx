"use client";

import { Component, Suspense, type ReactNode } from "react";
import { QueryErrorResetBoundary } from "@tanstack/react-query";
import { ErrorState, describeError } from "./error-state";

type WidgetErrorBoundaryProps = {
  title: string;
  compact: boolean;
  onReset: () => void;
  children: ReactNode;
};

type WidgetErrorBoundaryState = { error: unknown; hasError: boolean };

/** Catches one widget's failure so the rest of the page keeps working. */
class WidgetErrorBoundary extends Component<WidgetErrorBoundaryProps, WidgetErrorBoundaryState> {
  override state: WidgetErrorBoundaryState = { error: null, hasError: false };

  static getDerivedStateFromError(error: unknown): WidgetErrorBoundaryState {
    return { error, hasError: true };
  }

  private readonly retry = () => {
    this.props.onReset();
    this.setState({ error: null, hasError: false });
  };

  override render(): ReactNode {
    if (this.state.hasError) {
      return (
        <ErrorState
          title={this.props.title}
          message={describeError(this.state.error)}
          onRetry={this.retry}
          compact={this.props.compact}
        />
      );
    }
    return this.props.children;
  }
}

/**
 * The frame of every data widget: its own Suspense (with a skeleton named after the widget)
 * and its own error boundary, whose "Try again" clears TanStack Query's error so the query refetches.
 */
export function QueryBoundary({
  name,
  fallback,
  compact = false,
  children,
}: {
  /** The widget's name, used in the error title: "<name> could not be loaded". */
  name: string;
  fallback: ReactNode;
  /** Use the compact error state (narrow containers such as the sidebar). */
  compact?: boolean;
  children: ReactNode;
}) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <WidgetErrorBoundary title={`${name} could not be loaded`} onReset={reset} compact={compact}>
          <Suspense fallback={fallback}>{children}</Suspense>
        </WidgetErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}
