/** An item's name as shown and its versions: which one each view shows, and whether a view lists the item at all. */
import type { KoordinatesView, KoordinatesItem, KoordinatesVersion } from './types.js';

/** The name shown for an item: `title`, falling back to `name`. */
export function displayName(item: KoordinatesItem): string {
  return item.title ?? item.name ?? '';
}

/** The published version of an item, if it has one. */
export function publishedVersion(item: KoordinatesItem): KoordinatesVersion | undefined {
  return item.versions.find((v) => v.published);
}

/** The latest version (the last one; versions are stored oldest first). */
export function latestVersion(item: KoordinatesItem): KoordinatesVersion | undefined {
  return item.versions.at(-1);
}

/**
 * The version a view shows: the published one on `/data/`, the latest one on `/data/latest/`. An item never
 * published (absent from `/data/`, but a detail endpoint may still show it) falls back to its latest version.
 */
export function shownVersion(item: KoordinatesItem, view: KoordinatesView): KoordinatesVersion | undefined {
  return (view === 'published' ? publishedVersion(item) : undefined) ?? latestVersion(item);
}

/** Whether a view lists the item at all: `/data/` only lists items with a published version. */
export function inView(item: KoordinatesItem, view: KoordinatesView): boolean {
  return view === 'latest' || publishedVersion(item) !== undefined;
}
