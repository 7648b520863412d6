import type { QueryPattern } from "@/lib/engine/types";

/**
 * Labelled queries for classifyQuery. `ambiguous` marks texts a careful human could label either
 * way (they count towards the accuracy target but are not asserted one by one); every other
 * example is an exact expectation. Mixed languages on purpose: the seed systems are Dutch.
 */
export interface ClassifyFixture {
  text: string;
  expected: QueryPattern;
  ambiguous?: boolean;
}

export const CLASSIFY_FIXTURES: ClassifyFixture[] = [
  // code
  { text: "Write a Python function that removes duplicates from a list while keeping order.", expected: "code" },
  { text: "Why does this throw?\n```js\nconst x = undefined;\nconsole.log(x.length);\n```", expected: "code" },
  { text: "TypeError: Cannot read properties of undefined (reading 'map') — how do I fix this in React?", expected: "code" },
  { text: "Refactor this TypeScript class to use dependency injection.", expected: "code" },
  { text: "SELECT name, total FROM orders WHERE total > 100; why is this query slow on Postgres?", expected: "code" },
  { text: "Translate this Python script to JavaScript: def add(a, b): return a + b", expected: "code" },
  { text: "Schrijf een functie in Java die controleert of een getal een priemgetal is.", expected: "code" },
  { text: "Give me a regular expression that matches Dutch postcodes like 1234 AB.", expected: "code" },
  { text: "How do I write a unit test for an async function with vitest?", expected: "code" },
  { text: "Schreib mir eine Bash-Schleife, die alle .log Dateien komprimiert.", expected: "code" },
  // translation
  { text: "Translate the following sentence into German: The technician will arrive on Monday.", expected: "translation" },
  { text: "Vertaal naar het Engels: De monteur komt maandag langs om de cv-ketel te vervangen.", expected: "translation" },
  { text: "Übersetze bitte ins Englische: Die Rechnung ist bereits bezahlt.", expected: "translation" },
  { text: "Traduis ce paragraphe en anglais s'il te plaît.", expected: "translation" },
  { text: "Can you translate this customer email to Spanish?", expected: "translation" },
  { text: "How do you say 'work order' in French?", expected: "translation" },
  { text: "Vertaling gevraagd van deze offerte naar het Duits.", expected: "translation" },
  { text: "Please provide a French translation of our cancellation policy.", expected: "translation" },
  // summarization
  { text: "Summarize this article in three bullet points.", expected: "summarization" },
  { text: "tl;dr of the meeting notes below please", expected: "summarization" },
  { text: "Geef een korte samenvatting van dit rapport over de renovatie.", expected: "summarization" },
  { text: "Vat de onderstaande klachtbrief samen in twee zinnen.", expected: "summarization" },
  { text: "Fasse den folgenden Text kurz zusammen.", expected: "summarization" },
  { text: "Résumez ce document en quelques phrases.", expected: "summarization" },
  { text: "What are the key points of this chapter? Keep it brief.", expected: "summarization" },
  { text: "Can you give me a summary of the lecture on thermodynamics?", expected: "summarization" },
  { text: "Condense this 10-page contract into a one-paragraph recap.", expected: "summarization" },
  // classification
  { text: "Classify this work order as plumbing, electrical or heating: 'Lekkende kraan in de keuken'.", expected: "classification" },
  { text: "Classificeer deze werkbon: monteur heeft de thermostaat vervangen en de ketel ontlucht.", expected: "classification" },
  { text: "Werkbon 2024-117: storing aan de cv-ketel, onderdeel besteld. Welke categorie?", expected: "classification" },
  { text: "Is this email spam or not spam? 'You won a free cruise!'", expected: "classification" },
  { text: "Categorize these support tickets by urgency.", expected: "classification" },
  { text: "What is the sentiment of this review: 'The installer was late and rude.'", expected: "classification" },
  { text: "Label each sentence as positive, negative or neutral.", expected: "classification" },
  { text: "Kategorisiere diese Kundenanfrage: Rechnung, Technik oder Vertrag.", expected: "classification" },
  { text: "Deel deze werkbonnen in per soort werk.", expected: "classification" },
  { text: "Which category does this expense belong to: travel, meals or equipment?", expected: "classification" },
  // extraction
  { text: "Extract the invoice number, date and total amount from this invoice and return JSON.", expected: "extraction" },
  { text: "Haal het adres, de postcode en het kenteken uit deze werkbon.", expected: "extraction" },
  { text: "Parse the following resume into fields: name, email address, phone number, skills.", expected: "extraction" },
  { text: "Pull out all dates and names mentioned in this contract.", expected: "extraction" },
  { text: "Extraheer de velden klantnaam, datum en uren uit de onderstaande tekst.", expected: "extraction" },
  { text: "Extrahiere alle Artikelnummern und Mengen aus dieser Bestellung.", expected: "extraction" },
  { text: "List the named entities (people, organisations, places) in this news item.", expected: "extraction" },
  { text: "Return the customer's IBAN and VAT number as structured data.", expected: "extraction" },
  // analysis
  { text: "Analyze the sales figures for Q3 and explain the main trends.", expected: "analysis" },
  { text: "Compare PostgreSQL and MySQL for a multi-tenant SaaS: pros and cons.", expected: "analysis" },
  { text: "Why did our energy costs rise 30% compared to last year?", expected: "analysis" },
  { text: "Vergelijk de offertes van de drie installateurs en geef een advies.", expected: "analysis" },
  { text: "Analyseer de oorzaak van de terugkerende storingen bij deze klant.", expected: "analysis" },
  { text: "Evaluate the strengths and weaknesses of this business plan.", expected: "analysis" },
  { text: "Warum steigen die Reparaturkosten seit dem Frühjahr?", expected: "analysis" },
  { text: "What are the implications of the new EU AI Act for our product?", expected: "analysis" },
  // creative
  { text: "Write a short story about a robot who learns to paint.", expected: "creative" },
  { text: "Schrijf een gedicht over de herfst in Amsterdam.", expected: "creative" },
  { text: "Compose a haiku about coffee.", expected: "creative" },
  { text: "Make up a bedtime fairy tale with a dragon and a plumber.", expected: "creative" },
  { text: "Écris un poème sur la mer.", expected: "creative" },
  { text: "Brainstorm creative slogans for an eco-friendly heat pump brand.", expected: "creative" },
  { text: "Verzin een grappig verhaaltje voor mijn dochter van zes.", expected: "creative" },
  // chat
  { text: "Hi! How are you today?", expected: "chat" },
  { text: "What time does the office open tomorrow?", expected: "chat" },
  { text: "Hoi, kun je me helpen met mijn rooster?", expected: "chat" },
  { text: "Thanks, that was helpful.", expected: "chat" },
  { text: "What is the capital of Australia?", expected: "chat" },
  { text: "Guten Morgen! Wie geht's?", expected: "chat" },
  { text: "", expected: "chat" },
  { text: "Can you recommend a good book for the holidays?", expected: "chat" },
  // ambiguous on purpose
  { text: "Grade this essay on a scale of 1 to 10 and explain your reasoning.", expected: "analysis", ambiguous: true },
  { text: "Translate the summary into English.", expected: "translation", ambiguous: true },
  { text: "Why is the sky blue?", expected: "chat", ambiguous: true },
  { text: "Return JSON with the category of this ticket.", expected: "classification", ambiguous: true },
  { text: "Explain recursion like I'm five.", expected: "chat", ambiguous: true },
];
