import { jsonSchema, tool, type ModelMessage, type ToolChoice, type ToolSet } from "ai";
import type { ChatContentPart, ChatMessage, ChatRequest } from "@/lib/providers/types";
import { localRequestError } from "@/lib/providers/errors";
import type { ProviderError } from "@/lib/providers/types";

/**
 * OpenAI chat messages and tools → AI SDK ModelMessages and tools, for providers reached
 * through the AI SDK. Tools are declared without `execute`, so the SDK returns the model's
 * tool calls to the caller instead of running anything.
 */
function unsupported(what: string): ProviderError {
  return localRequestError(`not supported for this provider: ${what}`);
}

function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map((p) => (p.type === "text" && typeof p.text === "string" ? p.text : "")).join("");
}

type UserPart = { type: "text"; text: string } | { type: "image"; image: URL };

function userPart(part: ChatContentPart): UserPart {
  if (part.type === "text") return { type: "text", text: typeof part.text === "string" ? part.text : "" };
  if (part.type === "image_url") {
    const ref = part.image_url as { url?: unknown } | string | undefined;
    const url = typeof ref === "string" ? ref : ref?.url;
    if (typeof url === "string") {
      try {
        return { type: "image", image: new URL(url) };
      } catch {
        throw unsupported("an image_url that is not a URL");
      }
    }
  }
  throw unsupported(`content part "${part.type}"`);
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

export function toModelMessages(messages: ChatMessage[]): ModelMessage[] {
  // Tool results name only the call id; the SDK also wants the tool's name.
  const toolNames = new Map<string, string>();
  const out: ModelMessage[] = [];
  for (const m of messages) {
    switch (m.role) {
      case "system":
      case "developer":
        out.push({ role: "system", content: textOf(m.content) });
        break;
      case "user":
        out.push({ role: "user", content: typeof m.content === "string" ? m.content : (m.content ?? []).map(userPart) });
        break;
      case "assistant": {
        const calls = (m.tool_calls ?? []) as OpenAIToolCallIn[];
        if (calls.length === 0) {
          out.push({ role: "assistant", content: textOf(m.content) });
          break;
        }
        const text = textOf(m.content);
        out.push({
          role: "assistant",
          content: [
            ...(text ? [{ type: "text" as const, text }] : []),
            ...calls.map((c) => {
              const toolCallId = c.id ?? "";
              const toolName = c.function?.name ?? "";
              toolNames.set(toolCallId, toolName);
              return { type: "tool-call" as const, toolCallId, toolName, input: parseArguments(c.function?.arguments) };
            }),
          ],
        });
        break;
      }
      case "tool": {
        const toolCallId = m.tool_call_id ?? "";
        out.push({
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId,
              toolName: toolNames.get(toolCallId) ?? m.name ?? "",
              output: { type: "text", value: textOf(m.content) },
            },
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

export function toTools(request: ChatRequest): { tools?: ToolSet; toolChoice?: ToolChoice<ToolSet> } {
  const list = (request.tools ?? []) as OpenAIToolIn[];
  if (list.length === 0) return {};
  const tools: ToolSet = {};
  for (const t of list) {
    const name = t.function?.name;
    if (t.type !== "function" || !name) throw unsupported(`tool type "${t.type ?? "unknown"}"`);
    const schema = (t.function?.parameters ?? { type: "object", properties: {} }) as Parameters<typeof jsonSchema>[0];
    tools[name] = tool({ description: t.function?.description, inputSchema: jsonSchema(schema) });
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
  stopSequences?: string[];
  seed?: number;
} {
  const stop = request.stop;
  return {
    temperature: request.temperature ?? undefined,
    topP: request.top_p ?? undefined,
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
    stopSequences: typeof stop === "string" ? [stop] : Array.isArray(stop) ? stop : undefined,
    seed: request.seed ?? undefined,
  };
}
