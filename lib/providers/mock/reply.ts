import type { Usage } from "@/lib/engine/types";
import type { ChatMessage, ChatRequest } from "@/lib/providers/types";

/**
 * The local mock's answer: deterministic (same request → same text and usage, so demos and
 * tests are reproducible) and sized like a real one (about four characters per token, as
 * OpenAI's tokenizers average on English).
 */
function contentText(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map((p) => (typeof p.text === "string" ? p.text : "")).join(" ");
}

function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** A small stable hash (FNV-1a) to vary the wording per prompt without randomness. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const OPENERS = [
  "Here is a mock answer",
  "Sandbox reply",
  "This is the mock provider answering",
  "Simulated response",
];

export interface MockReply {
  text: string;
  finishReason: "stop" | "length";
  usage: Usage;
}

export function mockReply(request: ChatRequest): MockReply {
  const lastUser = [...request.messages].reverse().find((m) => m.role === "user");
  const prompt = contentText(lastUser?.content ?? "").replace(/\s+/g, " ").trim();
  const snippet = prompt.length > 80 ? `${prompt.slice(0, 77)}...` : prompt;
  const opener = OPENERS[hash(prompt) % OPENERS.length] as string;
  let text = snippet
    ? `${opener} to: "${snippet}". No model was called; configure a real provider to get real answers.`
    : `${opener}. No model was called; configure a real provider to get real answers.`;
  let finishReason: MockReply["finishReason"] = "stop";
  const limit = request.max_completion_tokens ?? request.max_tokens;
  if (typeof limit === "number" && limit > 0 && tokens(text) > limit) {
    text = text.slice(0, limit * 4);
    finishReason = "length";
  }
  // Chat formats add a few tokens of framing per message, as real tokenizers count them.
  const promptTokens = request.messages.reduce((n, m) => n + tokens(contentText(m.content)) + 4, 3);
  const completionTokens = tokens(text);
  return {
    text,
    finishReason,
    usage: {
      promptTokens,
      completionTokens,
      cachedTokens: 0,
      reasoningTokens: 0,
      totalTokens: promptTokens + completionTokens,
    },
  };
}

/** Splits the answer into a few word-aligned pieces, as a real stream would deliver it. */
export function streamPieces(text: string, pieces = 4): string[] {
  const words = text.split(/(?<= )/);
  const per = Math.max(1, Math.ceil(words.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < words.length; i += per) out.push(words.slice(i, i + per).join(""));
  return out;
}
