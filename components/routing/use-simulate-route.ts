"use client";

import { useMutation } from "@tanstack/react-query";
import { simulateRouteAction } from "@/lib/actions/routing/simulate-route";
import type { SimulateRouteInput } from "@/lib/schemas/llm-configuration";

/** Runs the route simulator (a read-only server action) and keeps its last result. */
export function useSimulateRoute() {
  return useMutation({
    mutationKey: ["routing", "simulate"],
    mutationFn: (input: SimulateRouteInput) => simulateRouteAction(input),
  });
}
