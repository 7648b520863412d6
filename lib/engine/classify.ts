import type { QueryPattern } from "@/lib/engine/types";

/**
 * Classifies a query into a pattern for learned routing (feedback is aggregated per pattern and
 * an override applies per pattern). It must be deterministic, cheap enough for every request and
 * explainable, so it is weighted keyword and structure scoring rather than a model: the same text
 * always lands in the same bucket, and a wrong bucket only costs a less specific override.
 *
 * Keywords cover English plus Dutch, German and French (the seed systems are Dutch). Text is
 * lower-cased and stripped of accents first, so "übersetze" is matched as "ubersetze" and
 * "résumez" as "resumez".
 */

interface Rule {
  pattern: Exclude<QueryPattern, "chat">;
  re: RegExp;
  weight: number;
  /** Instruction verbs count double when they open the query: that is usually the task. */
  lead?: boolean;
}

const NATURAL_LANGUAGES =
  "english|engels|englisch|anglais|dutch|nederlands|niederlandisch|neerlandais|german|duits|deutsch|allemand|" +
  "french|frans|franzosisch|francais|spanish|spaans|spanisch|espagnol|italian|italiaans|italienisch|italien|" +
  "portuguese|portugees|polish|pools|polnisch|turkish|turks|arabic|arabisch|chinese|chinees|japanese|japans";
const PROGRAMMING_LANGUAGES = "python|javascript|typescript|java|golang|kotlin|php|ruby|sql|bash|c#|c\\+\\+|scala";

const RULES: Rule[] = [
  // code: syntax is a strong signal (fences are checked over a wider span, see scoreQuery).
  { pattern: "code", re: /=>|\)\s*\{|\bdef \w+\(|\bfunction\s*\w*\(|console\.log|\bprint\(|\bselect\b[^.]{1,80}\bfrom\b\s+\w+\s*(where|join|;|$)/, weight: 3 },
  { pattern: "code", re: /\b(traceback|typeerror|syntaxerror|referenceerror|nullpointerexception|segfault|stack ?trace|undefined is not)\b/, weight: 4 },
  { pattern: "code", re: new RegExp(`(^|[^\\w])(${PROGRAMMING_LANGUAGES})([^\\w]|$)`), weight: 2 },
  { pattern: "code", re: /\b(function|variable|compiler?|compiles?|syntax|debug\w*|refactor\w*|unit tests?|algorithm|codebase|snippet|regexp?|regular expression|pull request|endpoint|programming|programmeren|programmier\w*|programmation|functie|fonction|bug)\b/, weight: 2, lead: true },
  // "translate this Python to Go" is code, not translation.
  { pattern: "code", re: new RegExp(`\\b(port|convert|translate|rewrite|herschrijf|vertaal)\\b.{0,40}(^|[^\\w])(${PROGRAMMING_LANGUAGES})([^\\w]|$)`), weight: 6 },

  { pattern: "translation", re: /\b(translat(e|es|ed|ing|ion)|vertaal|vertaling|vertalen|ubersetze\w*|ubersetzung|tradui\w*|traduction|traducir)\b/, weight: 4, lead: true },
  { pattern: "translation", re: new RegExp(`\\b(in|into|to|naar|ins|en|auf)( het)? (${NATURAL_LANGUAGES})\\b`), weight: 1 },
  { pattern: "translation", re: /\bhow (do|would) (you|i) say\b|\bwat is\b.{0,40}\bin het (engels|duits|frans)\b/, weight: 3 },

  { pattern: "summarization", re: /\b(summar(y|ies|ize|ise|ized|ised|izing|ising|ization|isation)|tl;?dr|samenvatting|samenvatten|samengevat|zusammenfass\w*|resumez|resumer)\b/, weight: 4, lead: true },
  { pattern: "summarization", re: /\b(vat\b.{0,80}\bsamen|fasse?\b.{0,80}\bzusammen|resume (ce|cet|cette|le|la|les|en))\b/, weight: 4, lead: true },
  { pattern: "summarization", re: /\b(key points|main points|in a nutshell|recap|condense|brief overview|kernpunten|hoofdpunten|in het kort|beknopt|kurz und knapp|en bref|points cles)\b/, weight: 2 },
  { pattern: "summarization", re: /\bin (\d+|one|two|three|five|a few|een paar|drie|twee|wenigen) (sentences?|bullet points|bullets|words|zinnen|woorden|satzen|phrases)\b/, weight: 2 },

  { pattern: "classification", re: /\b(classif(y|ies|ied|ying|ication|ier)|categori[sz](e|es|ed|ing|ation)|classificeer\w*|classificatie|categoriseer\w*|klassifizier\w*|kategorisier\w*|classe[rz]|rubriceer\w*)\b/, weight: 4, lead: true },
  { pattern: "classification", re: /\b(which|what|welke|welche|quelle) (category|class|type|bucket|label|categorie|kategorie|soort)\b|\b(label|tag) (this|it|the|each|deze|elke)\b/, weight: 3 },
  { pattern: "classification", re: /\b(category|categories|categorieen|kategorien|sentiment|spam or|positive or negative|positief of negatief|one of the following|een van de volgende|eine der folgenden|urgent or|prioriteit)\b/, weight: 2 },
  { pattern: "classification", re: /\bwerkbon(nen)?\b/, weight: 2 },

  { pattern: "extraction", re: /\b(extract\w*|extraheer\w*|extrahier\w*|extrai\w*|parse|pull out|haal\b.{0,60}\buit)\b/, weight: 4, lead: true },
  { pattern: "extraction", re: /\b(fields|velden|felder|champs|key-value|named entities|entities|structured data|gestructureerd|invoice number|factuurnummer|date of birth|phone number|email address|iban|vat number|btw-nummer|kenteken)\b/, weight: 2 },
  { pattern: "extraction", re: /\bjson\b/, weight: 1 },

  { pattern: "analysis", re: /\b(analy[sz](e|es|ed|ing)|analysis|analyseer|analyse|analysier\w*|compare|comparison|contrast|vergelijk\w*|vergleich\w*|compar(ez|er|aison)|evaluate|evalueer|assess(ment)?|bewerte\w*|grade|beoordeel)\b/, weight: 4, lead: true },
  { pattern: "analysis", re: /\b(pros and cons|trade-?offs?|root cause|implications|trends?|insights?|strengths and weaknesses|swot|impact of|voor- en nadelen|oorzaak|ursache|vor- und nachteile|avantages et inconvenients)\b/, weight: 2 },
  { pattern: "analysis", re: /\b(why|waarom|warum|pourquoi)\b/, weight: 2 },

  { pattern: "creative", re: /\b(write|compose|create|make up|invent|schrijf|verzin|maak|schreib\w*|ecri\w*|redige\w*)\b.{0,40}\b(story|stories|poem|poems|haiku|limerick|song|lyrics|sonnet|fairy tale|fable|joke|slogan|tagline|rap|novel|screenplay|verhaal|verhaaltje|gedicht|liedje|lied|sprookje|grap|geschichte|marchen|witz|histoire|poeme|chanson|conte|blague)\b/, weight: 6 },
  { pattern: "creative", re: /\b(poem|haiku|limerick|sonnet|short story|fairy tale|lyrics|gedicht|verhaal|sprookje|geschichte|poeme|histoire|rhymes?|rijm\w*|reim\w*)\b/, weight: 3 },
  { pattern: "creative", re: /\b(creative|creatief|creatieve|kreativ\w*|creati(f|ve)|imagine|stel je voor|once upon a time|er was eens|es war einmal|il etait une fois|brainstorm\w*|fictional|fiction)\b/, weight: 2 },
];

/** Tie order: the more specific task first (a code fence outranks a stray "why"). */
const TIE_ORDER: QueryPattern[] = ["code", "translation", "extraction", "classification", "summarization", "analysis", "creative"];

/** Below this a query is small talk or a plain question: "chat". */
const MIN_SCORE = 2;
/** Verbs this close to the start count as the instruction. */
const LEAD_CHARS = 40;
/**
 * Keywords are only looked for in the first and last characters: instructions sit at the start
 * or the end of a prompt, the middle is the document they apply to (whose words are noise: a
 * report that says "why" is not an analysis request), and a bounded window keeps a 100 KB prompt
 * as cheap to classify as a short one (about 25 regex passes over at most 1,000 characters).
 */
const HEAD_CHARS = 600;
const TAIL_CHARS = 400;
/** A code fence anywhere in this span is a strong signal; indexOf over it costs little. */
const FENCE_SCAN_CHARS = 20_000;
const FENCE_WEIGHT = 5;

const MARKS = /[\u0300-\u036f]/g;

function normalize(text: string): string {
  const bounded =
    text.length > HEAD_CHARS + TAIL_CHARS ? `${text.slice(0, HEAD_CHARS)}\n${text.slice(-TAIL_CHARS)}` : text;
  const lower = bounded.toLowerCase();
  // Only pay for Unicode normalization when there is something non-ASCII to strip.
  return /[^\u0000-\u007f]/.test(lower) ? lower.normalize("NFD").replace(MARKS, "") : lower;
}

export type PatternScores = Record<Exclude<QueryPattern, "chat">, number>;

/** Scores per pattern (for the route simulator's explanation and for tests). */
export function scoreQuery(text: string): PatternScores {
  const scores: PatternScores = {
    code: 0, translation: 0, extraction: 0, classification: 0, summarization: 0, analysis: 0, creative: 0,
  };
  const fenceSpan = text.length > FENCE_SCAN_CHARS ? text.slice(0, FENCE_SCAN_CHARS) : text;
  if (fenceSpan.includes("```") || fenceSpan.includes("~~~")) scores.code += FENCE_WEIGHT;
  const t = normalize(text);
  const lead = t.trimStart();
  const leadOffset = t.length - lead.length;
  for (const rule of RULES) {
    const m = rule.re.exec(t);
    if (!m) continue;
    const atLead = rule.lead === true && m.index - leadOffset < LEAD_CHARS;
    scores[rule.pattern] += atLead ? rule.weight * 2 : rule.weight;
  }
  return scores;
}

export function classifyQuery(text: string): QueryPattern {
  if (!text) return "chat";
  const scores = scoreQuery(text);
  let best: QueryPattern = "chat";
  let bestScore = MIN_SCORE - 1;
  for (const pattern of TIE_ORDER) {
    const s = scores[pattern as keyof PatternScores];
    if (s > bestScore) {
      best = pattern;
      bestScore = s;
    }
  }
  return best;
}
