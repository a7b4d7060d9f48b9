/** Query cases that combine: two conditions (one to-many path too), the JSON form, search, multi-key sorts. */
import {
  clean,
  fragments,
  key,
  valuesOf,
  at,
  splitRows,
  type Add,
  type FieldRef,
  type Obj,
  type QueryDepth,
  type QueryOracle,
} from './query-oracle.js';
/** Two conditions: AND across fields, a condition and a negation, two on one to-many path (one row), the JSON form. */
/** `relations`: how many to-many relations get their two-conditions-on-one-row cases. */
export function combinationCases(
  fields: FieldRef[],
  every: FieldRef[],
  items: Obj[],
  add: Add,
  oracle: QueryOracle,
  relations: number,
) {
  const eqOf = (f: FieldRef): [string, string] | undefined => {
    const v = valuesOf(items, f.path).find((x) =>
      f.kind === 'boolean' ? typeof x === 'boolean' : f.ref ? false : clean(x) || typeof x === 'number',
    );
    return v === undefined ? undefined : [key(f.path), String(v)];
  };
  const plain = fields.filter((f) => !f.ref && f.path.length === 1 && f.kind !== 'datetime');
  const pairs: [string, string][] = plain.map(eqOf).filter((p): p is [string, string] => !!p);
  for (let i = 0; i + 1 < pairs.length && i < 3; i++) add('combination', 'and', [pairs[i], pairs[i + 1]]);
  // a positive condition and a negated one on another field: a server that drops the negation answers more
  for (let i = 0; i + 1 < pairs.length && i < 3; i++) {
    const [k, v] = pairs[i + 1];
    add('combination', 'not', [pairs[i], [k.replace('filter{', 'filter{-'), v]]);
  }
  // two conditions on one to-many path: the same related row (one filter() call); chosen where a server that
  // evaluates them on different rows answers more
  const many = every.filter((f) => f.kind === 'to-many' && f.path.length === 2);
  const done = new Set<string>();
  for (const a of many)
    for (const b of many) {
      if (a.path[0] !== b.path[0] || a === b || done.has(a.path[0]) || done.size >= relations) continue;
      let found = false;
      for (const item of items.slice(0, 40)) {
        const rows = (item[a.path[0]] as Obj[] | undefined) ?? [];
        if (rows.length < 2) continue;
        const p: [string, string][] = [
          [key(a.path), String(rows[0][a.path[1]])],
          [key(b.path), String(rows[1][b.path[1]])],
        ];
        if (!clean(p[0][1]) || !clean(p[1][1])) continue;
        const split = oracle.run(p, splitRows)?.length ?? 0;
        if (split > (oracle.count(p) ?? 0)) {
          found = add('combination', 'same-row', p, false);
          break;
        }
      }
      if (!found) continue;
      done.add(a.path[0]);
      const v = valuesOf(items, a.path).find(clean);
      const w = valuesOf(items, b.path).find(clean);
      if (typeof v === 'string' && typeof w === 'string')
        add(
          'combination',
          'same-row',
          [
            [key(a.path), v],
            [key(b.path, undefined, true), w],
          ],
          false,
        );
      break;
    }
  if (pairs.length >= 2) {
    const [[k1, v1], [k2, v2]] = pairs;
    const j = (k: string) => k.slice('filter{'.length, -1);
    const typed = (k: string, v: string) => (v === 'true' || v === 'false' ? v === 'true' : v);
    add('combination', 'json', [
      ['filter{}', JSON.stringify({ [j(k1)]: typed(k1, v1), [`-${j(k2)}`]: typed(k2, v2) })],
    ]);
    add('combination', 'json', [
      ['filter{}', JSON.stringify({ $or: [{ [j(k1)]: typed(k1, v1) }, { [j(k2)]: typed(k2, v2) }] })],
    ]);
  }
}

export function searchCases(items: Obj[], add: Add, oracle: QueryOracle) {
  const titles = items.map((i) => i.title).filter(clean);
  const words = fragments(titles);
  for (const w of words.slice(0, 10))
    if (
      add('search', 'search', [
        ['search', w.toLowerCase()],
        ['search_fields', 'title'],
      ])
    )
      break;
  for (const w of words.slice(0, 10))
    if (
      add('search', 'istartswith', [
        ['search', w.slice(0, 3).toUpperCase()],
        ['search_fields', '^title'],
      ])
    )
      break;
  if (items.some((i) => 'abstract' in i)) {
    const both = (w: string): [string, string][] => [
      ['search', w],
      ['search_fields', 'title'],
      ['search_fields', 'abstract'],
    ];
    const abstracts = fragments(
      items.map((i) => i.abstract).filter((v): v is string => typeof v === 'string' && v.length > 0),
    );
    // a word the second field adds records for: a server that looks in one field only answers fewer
    const w = abstracts.find(
      (x) =>
        (oracle.count(both(x)) ?? 0) >
        (oracle.count([
          ['search', x],
          ['search_fields', 'title'],
        ]) ?? 0),
    );
    if (w) add('search', 'or-fields', both(w));
  }
}

/** Sorts by one to three keys; the first key has ties, so the later keys decide. */
export function sortCases(fields: FieldRef[], items: Obj[], add: Add, depth: QueryDepth) {
  // a text with line breaks or of any length sorts by rules no test should depend on (glibc vs ICU): plain keys only
  fields = fields.filter((f) =>
    items.every((i) => at(i, f.path).every((v) => typeof v !== 'string' || clean(v) || v === '')),
  );
  const distinct = (f: FieldRef) => new Set(items.map((i) => JSON.stringify(at(i, f.path)))).size;
  const tied = fields
    .filter((f) => distinct(f) > 1 && distinct(f) <= items.length / 3)
    .sort((a, b) => distinct(a) - distinct(b));
  const fine = fields.filter((f) => f.kind !== 'boolean' && distinct(f) > items.length / 2);
  const s = (f: FieldRef, desc = false): [string, string] => ['sort[]', `${desc ? '-' : ''}${f.path.join('.')}`];
  if (fine[0]) add('sort', 'sort-1', [s(fine[0])], false);
  if (fine[0] && depth !== 'quick') add('sort', 'sort-1', [s(fine[0], true)], false);
  if (tied[0] && fine[0]) add('sort', 'sort-2', [s(tied[0]), s(fine[0], true)], false);
  if (tied[0] && tied[1] && fine[0]) add('sort', 'sort-3', [s(tied[0], true), s(tied[1]), s(fine[0])], false);
  if (depth === 'full') for (const f of fields) add('sort', 'sort-1', [s(f, true)], false);
}
