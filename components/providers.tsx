"use client";

import type { ReactNode } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { getClientQueryClient } from "@/lib/queries/query-client";
import { TooltipProvider } from "@/components/ui/tooltip";

export function Providers({ children }: { children: ReactNode }) {
  // Not useState: if the first render suspends before mounting, React would throw the state away
  // and a new client (and cache) would be made; the module-level singleton survives that.
  const queryClient = getClientQueryClient();
  return (
    <QueryClientProvider client={queryClient}>
      <TooltipProvider>{children}</TooltipProvider>
    </QueryClientProvider>
  );
}
