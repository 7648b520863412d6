"use client";

import { useMemo } from "react";
import { ApiReferenceReact, type AnyApiReferenceConfiguration } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";
import { SCALAR_CSS } from "./scalar-theme";

/**
 * Scalar's API reference, configured to stay inside this app: the document is passed as content
 * (no fetch), no font CDN (withDefaultFonts: false), no telemetry, no agent, MCP or developer
 * toolbar, and no "test request" client (it would send an app key from the browser and may route
 * through Scalar's proxy); readers copy the generated curl / SDK snippets instead. Loaded only on
 * /docs, client-side (components/docs/api-reference.tsx), so its bundle stays out of every other page.
 */
export default function ScalarReference({ document, dark }: { document: Record<string, unknown>; dark: boolean }) {
  const configuration = useMemo<AnyApiReferenceConfiguration>(
    () => ({
      content: document,
      title: "LLM Control Plane gateway",
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: "never",
      showToolbar: "never",
      hideClientButton: true,
      hideTestRequestButton: true,
      hideDarkModeToggle: true,
      forceDarkModeState: dark ? "dark" : "light",
      darkMode: dark,
      persistAuth: false,
      documentDownloadType: "json",
      theme: "default",
      customCss: SCALAR_CSS,
    }),
    [document, dark],
  );
  // Scalar reads its colour mode once, when it mounts: a theme change remounts it.
  return <ApiReferenceReact key={dark ? "dark" : "light"} configuration={configuration} />;
}
