import { callerAbortError, errorFromStatus, streamCutError, timeoutError } from "@/lib/providers/errors";
import { mockEmbeddings } from "@/lib/providers/mock/embed";
import { mockReply, streamPieces } from "@/lib/providers/mock/reply";
import { createOpenAICompatibleAdapter } from "@/lib/providers/openai-compatible/base";
import { chunkObject, completionBody, newIdentity, usageChunk } from "@/lib/providers/openai-shape";
import type {
  ChatRequest,
  CompletionResult,
  EmbeddingRequest,
  EmbeddingResult,
  ProviderAdapter,
  ProviderTarget,
  StreamEvent,
} from "@/lib/providers/types";

/**
 * Kind `mock`. With a base_url it is an OpenAI-compatible upstream (the benchmark's mock
 * server); without one it answers in-process, so the demo `sandbox` organization works with
 * no keys and no network. Model codes script failures for demos and gateway tests:
 *   `…fail-429…` (or any status) → that HTTP error, 429 with a 1 s Retry-After;
 *   `…slow-<ms>…` → answer after <ms> (subject to timeoutMs);
 *   `…cut…`      → streams stop after two chunks (stream_cut).
 */
const remote = createOpenAICompatibleAdapter({ label: "mock", defaultBaseUrl: null, defaultPath: "/v1", requiresKey: false });

function delay(ms: number, target: ProviderTarget, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(callerAbortError(signal, target.timeoutMs));
    const late = ms > target.timeoutMs;
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      if (late) reject(timeoutError(target.timeoutMs));
      else resolve();
    }, Math.min(ms, target.timeoutMs));
    const onAbort = () => {
      clearTimeout(timer);
      reject(callerAbortError(signal, target.timeoutMs));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

async function scripted(target: ProviderTarget, signal: AbortSignal): Promise<void> {
  const slow = /slow-(\d+)/.exec(target.modelCode);
  if (slow) await delay(Number(slow[1]), target, signal);
  const fail = /fail-(\d{3})/.exec(target.modelCode);
  if (fail) {
    const status = Number(fail[1]);
    const headers = status === 429 ? { "retry-after": "1" } : undefined;
    throw errorFromStatus(status, { error: { message: `scripted mock failure ${status}`, type: "mock_error" } }, { headers, apiKey: null });
  }
}

async function completeLocally(target: ProviderTarget, request: ChatRequest, signal: AbortSignal): Promise<CompletionResult> {
  await scripted(target, signal);
  const reply = mockReply(request);
  const body = completionBody(newIdentity(target.modelCode), { text: reply.text, finishReason: reply.finishReason, usage: reply.usage });
  return { text: reply.text, finishReason: reply.finishReason, usage: reply.usage, modelVersion: target.modelCode, body };
}

async function* streamLocally(target: ProviderTarget, request: ChatRequest, signal: AbortSignal): AsyncGenerator<StreamEvent> {
  await scripted(target, signal);
  const reply = mockReply(request);
  const who = newIdentity(target.modelCode);
  const cut = target.modelCode.includes("cut");
  yield { type: "chunk", chunk: chunkObject(who, { role: "assistant", content: "" }), text: "" };
  let sent = 0;
  for (const piece of streamPieces(reply.text)) {
    if (cut && sent === 2) throw streamCutError("scripted mock cut", null);
    // A macrotask between pieces, so consumers see a real stream rather than one burst.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal.aborted) throw callerAbortError(signal, target.timeoutMs);
    yield { type: "chunk", chunk: chunkObject(who, { content: piece }), text: piece };
    sent++;
  }
  yield { type: "chunk", chunk: chunkObject(who, {}, reply.finishReason), text: "" };
  yield { type: "usage", usage: reply.usage, modelVersion: target.modelCode, chunk: usageChunk(who, reply.usage) };
  yield { type: "end", finishReason: reply.finishReason };
}

async function embedLocally(target: ProviderTarget, request: EmbeddingRequest, signal: AbortSignal): Promise<EmbeddingResult> {
  await scripted(target, signal);
  return mockEmbeddings(target.modelCode, request);
}

export const mockAdapter: ProviderAdapter = {
  complete: (target, request, signal) =>
    target.baseUrl ? remote.complete(target, request, signal) : completeLocally(target, request, signal),
  stream: (target, request, signal) =>
    target.baseUrl ? remote.stream(target, request, signal) : streamLocally(target, request, signal),
  embed: (target, request, signal) =>
    target.baseUrl && remote.embed ? remote.embed(target, request, signal) : embedLocally(target, request, signal),
};
