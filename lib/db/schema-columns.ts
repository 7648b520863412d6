import type { ColumnType } from "kysely";

/**
 * Column types shared by the lib/db/schema*.ts modules. Conventions shared by PGlite and pg (see
 * lib/db/client.ts): numeric → string (exact money), bigint → number, date → "YYYY-MM-DD",
 * timestamptz → Date, jsonb → parsed JSON.
 */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type TimestampNullable = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** numeric: read as a decimal string, written as a string (never a float). */
export type Numeric = ColumnType<string, string, string>;
export type NumericNullable = ColumnType<string | null, string | null | undefined, string | null>;
export type Json = ColumnType<unknown, string, string>;
export type JsonNullable = ColumnType<unknown, string | null | undefined, string | null>;
