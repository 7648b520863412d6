import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { Brand } from "@/components/brand";
import { ApiReference } from "@/components/docs/api-reference";
import { ThemeToggle } from "@/components/theme-toggle";
import { openApiDocument } from "@/lib/gateway/openapi";

export const metadata: Metadata = {
  title: "API reference",
  description: "The gateway's HTTP API (/api/llm): chat completions, embeddings, models, native generate, feedback and health, from its OpenAPI document.",
};

/**
 * The gateway's API reference, rendered from the same OpenAPI document /api/llm/openapi.json
 * serves (passed in, never fetched). Public, like that document: the people who need it are app
 * developers holding an app key, who often have no dashboard account, and it shows nothing of any
 * tenant. Outside the (dashboard) group, so no session is read (proxy.ts lets /docs through).
 */
export default function DocsPage() {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:ring-[3px] focus:ring-ring/50"
      >
        Skip to content
      </a>
      <header className="flex h-14 shrink-0 items-center gap-3 border-b bg-background px-4 md:px-6">
        <Link href="/" className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
          <Brand className="text-sm" />
        </Link>
        <div className="ml-auto flex min-w-0 items-center gap-2">
          <Link
            href="/"
            className="hidden items-center gap-1.5 rounded-md px-2 py-1 text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 sm:flex"
          >
            <ArrowLeft className="size-4" aria-hidden />
            Dashboard
          </Link>
          <ThemeToggle />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 outline-none">
        <h1 className="sr-only">API reference</h1>
        <ApiReference document={openApiDocument() as unknown as Record<string, unknown>} />
      </main>
    </div>
  );
}
