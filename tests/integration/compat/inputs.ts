import { z } from "zod";

/**
 * What every client of the compatibility matrix sends, and the shape each client adapter answers
 * in, so that one set of expectations (cells.ts) judges every client the same way.
 */

/** Where a client points and how it routes: one lane per (cell, upstream). */
export interface Lane {
  /** The gateway's OpenAI-style base, `<origin>/api/llm/v1`. */
  baseURL: string;
  /** The gateway's origin + `/api/llm` (the Anthropic SDK appends `/v1/messages`). */
  anthropicBaseURL: string;
  apiKey: string;
  /** x-llm-action (the chat action), x-llm-organization and x-llm-pipeline-stage (the cell's id). */
  headers: Record<string, string>;
  /** The same with the embeddings action. */
  embedHeaders: Record<string, string>;
}

export const PROMPT = "Classify: leak in the bathroom";
export const TOOL_PROMPT = "Look up work order 7";
export const TOOL_RESULT = '{"status":"open","room":"bathroom"}';
export const IMAGE_PROMPT = "What is in this picture?";
export const EMBED_INPUTS = ["Lekkage in de badkamer", "Offerte voor een nieuwe dakgoot"];

/** A 1x1 transparent PNG. */
export const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
export const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;

export const LOOKUP = {
  name: "lookup",
  description: "Looks a work order up by id",
  parameters: { type: "object", properties: { id: { type: "string" } }, required: ["id"], additionalProperties: false },
} as const;
export const LookupArgs = z.object({ id: z.string() });

export const Verdict = z.object({ category: z.enum(["leak", "electrical"]), urgent: z.boolean(), rooms: z.array(z.string()) });
/** What every fake answers for Verdict's schema (first enum value, true, one "fake" item). */
export const VERDICT = { category: "leak", urgent: true, rooms: ["fake"] };

export interface StreamOutcome {
  text: string;
  /** The usage the client surfaced at the end of the stream. */
  usage: { prompt: number; completion: number };
}

export interface ToolsOutcome {
  /** The tool call the client surfaced from the first answer. */
  call: { name: string; args: unknown };
  /** The text of the answer to the tool result. */
  final: string;
}

/** An error as the client surfaced it. */
export interface ClientFailure {
  status: number | undefined;
  message: string;
}

/**
 * One client library, with the same feature functions. A missing function is a feature the
 * client does not have (the Anthropic SDK has no embeddings): no cell.
 */
export interface ClientAdapter {
  name: string;
  chat?(lane: Lane): Promise<string>;
  stream?(lane: Lane): Promise<StreamOutcome>;
  tools?(lane: Lane): Promise<ToolsOutcome>;
  structured?(lane: Lane): Promise<unknown>;
  image?(lane: Lane): Promise<string>;
  embeddings?(lane: Lane): Promise<number[][]>;
  /** The status and message of an error this client threw. */
  failure(err: unknown): ClientFailure;
}

export type Feature = "chat" | "stream" | "tools" | "structured" | "image" | "embeddings";
export const FEATURES: readonly Feature[] = ["chat", "stream", "tools", "structured", "image", "embeddings"];
