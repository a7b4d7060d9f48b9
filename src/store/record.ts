/** A stored record: a plain JSON object (lazy records are Proxies that look like one). */
export type StoredRecord = Record<string, unknown>;
