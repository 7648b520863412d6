import { GatewayError } from "@/lib/gateway/errors";

/**
 * The GatewayError a promise rejects with, for tests that assert on its status, type and
 * message; anything else it rejects with is rethrown, and a promise that resolves fails the test.
 */
export async function gatewayErrorOf(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error("expected a GatewayError");
}
