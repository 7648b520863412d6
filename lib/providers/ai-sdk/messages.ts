import { jsonSchema, tool, type ModelMessage, type ToolChoice, type ToolSet, type UserModelMessage } from "ai";
import type { ChatContentPart, ChatMessage, ChatRequest } from "@/lib/providers/types";
import { localRequestError } from "@/lib/providers/errors";
import type { ProviderError } from "@/lib/providers/types";

/**
 * OpenAI chat messages and tools → AI SDK ModelMessages and tools, for providers reached
 * through the AI SDK. Tools are declared without `execute`, so the SDK returns the model's
 * tool calls to the caller instead of running anything.
 */
/** Provider options on a message or content part (e.g. Anthropic's cacheControl). */
export type PartOptions = NonNullable<UserModelMessage["providerOptions"]>;

/**
 * The provider options a message or content part carries in the caller's request (Anthropic:
 * its `cache_control`), or undefined. Providers without such a hook get none.
 */
export type PartOptionsOf = (holder: Record<string, unknown>) => PartOptions | undefined;

const noOptions: PartOptionsOf = () => undefined;

function unsupported(what: string): ProviderError {
  return localRequestError(`not supported for this provider: ${what}`);
}

function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map((p) => (p.type === "text" && typeof p.text === "string" ? p.text : "")).join("");
}

type UserPart = (
  | { type: "text"; text: string }
  | { type: "image"; image: URL }
  | { type: "file"; data: string; mediaType: string; filename?: string }
) & { providerOptions?: PartOptions };

/**
 * OpenAI's `file` content part (`{file: {filename?, file_data: "data:<type>;base64,…"}}`) as the
 * SDK's file part: a PDF becomes Anthropic's document block, text/plain a text document.
 * Uploaded files (`file_id`) have no meaning outside the provider that stored them.
 */
function filePart(part: ChatContentPart): { type: "file"; data: string; mediaType: string; filename?: string } {
  const file = part.file as { filename?: unknown; file_data?: unknown; file_id?: unknown } | undefined;
  const match = typeof file?.file_data === "string" ? /^data:([^;,]+);base64,(.*)$/s.exec(file.file_data) : null;
  if (!match) throw unsupported("a file part without file_data as a base64 data: URL (file_id is not supported)");
  return { type: "file", data: match[2]!, mediaType: match[1]!, ...(typeof file?.filename === "string" ? { filename: file.filename } : {}) };
}

const withOptions = <T extends object>(value: T, providerOptions: PartOptions | undefined): T & { providerOptions?: PartOptions } =>
  providerOptions ? { ...value, providerOptions } : value;

function userPart(part: ChatContentPart, optionsOf: PartOptionsOf): UserPart {
  const options = optionsOf(part);
  if (part.type === "text") return withOptions({ type: "text" as const, text: typeof part.text === "string" ? part.text : "" }, options);
  if (part.type === "file") return withOptions(filePart(part), options);
  if (part.type === "image_url") {
    const ref = part.image_url as { url?: unknown } | string | undefined;
    const url = typeof ref === "string" ? ref : ref?.url;
    if (typeof url === "string") {
      try {
        return withOptions({ type: "image" as const, image: new URL(url) }, options);
      } catch {
        throw unsupported("an image_url that is not a URL");
      }
    }
  }
  throw unsupported(`content part "${part.type}"`);
}

/** Text parts with their own provider options (cache breakpoints), when any part has some; else null. */
function textPartsWithOptions(content: ChatMessage["content"], optionsOf: PartOptionsOf): { text: string; providerOptions?: PartOptions }[] | null {
  if (!Array.isArray(content)) return null;
  const parts = content.map((p) => withOptions({ text: p.type === "text" && typeof p.text === "string" ? p.text : "" }, optionsOf(p)));
  return parts.some((p) => p.providerOptions) ? parts : null;
}

/** The options of the message itself, or of any of its parts (for messages the SDK takes whole). */
function anyOptions(m: ChatMessage, optionsOf: PartOptionsOf): PartOptions | undefined {
  const parts = Array.isArray(m.content) ? m.content : [];
  return optionsOf(m as unknown as Record<string, unknown>) ?? parts.map(optionsOf).findLast((o) => o !== undefined);
}

function parseArguments(args: unknown): unknown {
  if (typeof args !== "string") return args ?? {};
  try {
    return JSON.parse(args);
  } catch {
    throw unsupported("tool call arguments that are not JSON");
  }
}

interface OpenAIToolCallIn {
  id?: string;
  function?: { name?: string; arguments?: unknown };
}

/**
 * `optionsOf` maps what the caller put on a message or part for the provider (Anthropic:
 * `cache_control`) into the SDK's providerOptions: on the part where the SDK keeps parts apart
 * (user content; system and assistant text, split into one block per part when a part has
 * some), else on the message (the SDK applies it to the message's last block).
 */
export function toModelMessages(messages: ChatMessage[], optionsOf: PartOptionsOf = noOptions): ModelMessage[] {
  // Tool results name only the call id; the SDK also wants the tool's name.
  const toolNames = new Map<string, string>();
  const out: ModelMessage[] = [];
  for (const m of messages) {
    const own = optionsOf(m as unknown as Record<string, unknown>);
    switch (m.role) {
      case "system":
      case "developer": {
        const parts = textPartsWithOptions(m.content, optionsOf);
        if (parts) {
          parts.forEach((p, i) => out.push(withOptions({ role: "system" as const, content: p.text }, p.providerOptions ?? (i === parts.length - 1 ? own : undefined))));
        } else out.push(withOptions({ role: "system" as const, content: textOf(m.content) }, own));
        break;
      }
      case "user":
        out.push(withOptions({ role: "user" as const, content: typeof m.content === "string" ? m.content : (m.content ?? []).map((p) => userPart(p, optionsOf)) }, own));
        break;
      case "assistant": {
        const calls = (m.tool_calls ?? []) as OpenAIToolCallIn[];
        if (calls.length === 0) {
          const parts = textPartsWithOptions(m.content, optionsOf);
          const content = parts ? parts.map((p) => ({ type: "text" as const, ...p })) : textOf(m.content);
          out.push(withOptions({ role: "assistant" as const, content }, own));
          break;
        }
        const text = textOf(m.content);
        out.push(withOptions({
          role: "assistant" as const,
          content: [
            ...(text ? [{ type: "text" as const, text }] : []),
            ...calls.map((c) => {
              const toolCallId = c.id ?? "";
              const toolName = c.function?.name ?? "";
              toolNames.set(toolCallId, toolName);
              return { type: "tool-call" as const, toolCallId, toolName, input: parseArguments(c.function?.arguments) };
            }),
          ],
        }, anyOptions(m, optionsOf)));
        break;
      }
      case "tool": {
        const toolCallId = m.tool_call_id ?? "";
        out.push({
          role: "tool",
          content: [
            withOptions({
              type: "tool-result" as const,
              toolCallId,
              toolName: toolNames.get(toolCallId) ?? m.name ?? "",
              // Anthropic's tool_result is_error (the Messages route carries it on the tool message).
              output: { type: m.is_error === true ? ("error-text" as const) : ("text" as const), value: textOf(m.content) },
            }, anyOptions(m, optionsOf)),
          ],
        });
        break;
      }
    }
  }
  return out;
}

interface OpenAIToolIn {
  type?: string;
  function?: { name?: string; description?: string; parameters?: unknown };
}

/** `optionsOf` maps what the caller put on a tool for the provider (Anthropic: its cache_control). */
export function toTools(request: ChatRequest, optionsOf: PartOptionsOf = noOptions): { tools?: ToolSet; toolChoice?: ToolChoice<ToolSet> } {
  const list = (request.tools ?? []) as OpenAIToolIn[];
  if (list.length === 0) return {};
  const tools: ToolSet = {};
  for (const t of list) {
    const name = t.function?.name;
    if (t.type !== "function" || !name) throw unsupported(`tool type "${t.type ?? "unknown"}"`);
    const schema = (t.function?.parameters ?? { type: "object", properties: {} }) as Parameters<typeof jsonSchema>[0];
    const providerOptions = optionsOf(t as Record<string, unknown>);
    tools[name] = tool({ description: t.function?.description, inputSchema: jsonSchema(schema), ...(providerOptions ? { providerOptions } : {}) });
  }
  const choice = request.tool_choice;
  let toolChoice: ToolChoice<ToolSet> | undefined;
  if (choice === "auto" || choice === "none" || choice === "required") toolChoice = choice;
  else if (typeof choice === "object" && choice !== null) {
    const fn = (choice as { function?: { name?: string } }).function?.name;
    if (fn) toolChoice = { type: "tool", toolName: fn };
  }
  return { tools, toolChoice };
}

/** The common sampling settings; fields a provider lacks are dropped by the SDK with a warning. */
export function toCallSettings(request: ChatRequest): {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  topK?: number;
  stopSequences?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
} {
  const stop = request.stop;
  return {
    temperature: request.temperature ?? undefined,
    topP: request.top_p ?? undefined,
    // Only kinds whose allow-list takes top_k get it (Anthropic); the others refuse it before the call.
    topK: typeof request.top_k === "number" ? request.top_k : undefined,
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
    stopSequences: typeof stop === "string" ? [stop] : Array.isArray(stop) ? stop : undefined,
    seed: request.seed ?? undefined,
    // Only kinds whose allow-list takes the penalties get them (Gemini; refused for Anthropic).
    presencePenalty: typeof request.presence_penalty === "number" ? request.presence_penalty : undefined,
    frequencyPenalty: typeof request.frequency_penalty === "number" ? request.frequency_penalty : undefined,
  };
}
