/** Name of the local session cookie; a module of its own so proxy.ts imports no database code. */
export const SESSION_COOKIE = "llmcp_session";
