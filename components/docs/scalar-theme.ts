/**
 * Scalar's colours brought to the app's palette and to WCAG AA contrast (4.5:1 for text): its
 * default theme draws secondary text in #8e8e8e on #f9f9f9 (3.2:1) and the yellow and orange
 * method labels lighter still, which axe reports as serious. Same selectors as Scalar's theme
 * (.light-mode / .dark-mode), injected after it, so these win. Fonts: the app's system stack
 * (withDefaultFonts is off, nothing is fetched from a font CDN).
 */
export const SCALAR_CSS = `
.light-mode,
.light-mode .dark-mode {
  --scalar-background-1: #ffffff;
  --scalar-background-2: #f5f5f5;
  --scalar-background-3: #ebebeb;
  --scalar-background-card: #ffffff;
  --scalar-color-1: #1b1b1b;
  --scalar-color-2: #525252;
  --scalar-color-3: #5c5c5c;
  --scalar-color-accent: #1b1b1b;
  --scalar-background-accent: #ebebeb;
  --scalar-color-green: #047857;
  --scalar-color-red: #b91c1c;
  --scalar-color-yellow: #8a6100;
  --scalar-color-blue: #1d5fa6;
  --scalar-color-orange: #a84a00;
  --scalar-color-purple: #5b21b6;
  --scalar-color-query: #0f6e73;
  --scalar-border-color: rgba(0, 0, 0, 0.12);
}
.dark-mode,
.dark-mode .light-mode {
  --scalar-background-1: #0a0a0a;
  --scalar-background-2: #171717;
  --scalar-background-3: #262626;
  --scalar-background-card: #171717;
  --scalar-color-1: #fafafa;
  --scalar-color-2: #c4c4c4;
  --scalar-color-3: #b0b0b0;
  --scalar-color-accent: #fafafa;
  --scalar-background-accent: #262626;
  --scalar-color-green: #4ade80;
  --scalar-color-red: #f87171;
  --scalar-color-yellow: #facc15;
  --scalar-color-blue: #60a5fa;
  --scalar-color-orange: #fb923c;
  --scalar-color-purple: #c4b5fd;
  --scalar-color-query: #5eead4;
  --scalar-border-color: rgba(255, 255, 255, 0.14);
}
.scalar-app {
  --scalar-font: ui-sans-serif, system-ui, sans-serif, "Apple Color Emoji", "Segoe UI Emoji";
  --scalar-font-code: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
`;
