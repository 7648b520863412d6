import type { Kysely } from "kysely";
import type { DB } from "../schema";

export interface SeedOptions {
  password?: string;
  apiKey?: string;
  days: number;
  log: (line: string) => void;
}

// Placeholder replaced by the demo-data implementation.
export async function seedDemo(_db: Kysely<DB>, _options: SeedOptions): Promise<{ seeded: boolean }> {
  return { seeded: false };
}
