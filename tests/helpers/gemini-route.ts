import type { GatewayWorld } from "./gateway-world";
import { routeToProvider } from "./provider-route";

/**
 * Routes `action` of the world's app to a provider `code` (default `gemini`) of kind google at
 * `origin` (model `modelCode`, default gemini-2.0-flash, at 2 input / 8 output / 0.50 cached
 * input per Mtok in `currency`), then waits until `warmUp` answers 200.
 */
export function routeToGemini(
  world: GatewayWorld,
  { origin, action, currency, warmUp, code = "gemini", modelCode = "gemini-2.0-flash" }:
    { origin: string; action: string; currency: string; warmUp: () => Promise<Response>; code?: string; modelCode?: string },
): Promise<void> {
  return routeToProvider(world, {
    code, kind: "google", baseUrl: `${origin}/v1beta`, modelCode, action, currency, warmUp,
    prices: { input: "2", output: "8", cached: "0.50" },
  });
}
