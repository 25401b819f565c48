"use client";

import { useEffect, useRef } from "react";
import { requestAnchorId } from "./format-approvals";

/**
 * Scrolls the `?request=` deep link's card into view once it has rendered, and only once per id,
 * so polling re-renders never yank the page back while someone reads further down.
 */
export function useScrollToRequest(id: string | undefined, present: boolean): void {
  const done = useRef<string | null>(null);
  useEffect(() => {
    if (!id || !present || done.current === id) return;
    const element = document.getElementById(requestAnchorId(id));
    if (!element) return;
    done.current = id;
    element.scrollIntoView({ block: "start" });
  }, [id, present]);
}
