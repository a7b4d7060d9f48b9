/**
 * Planted catalogue query faults (`--fault NAME`, area `query language`): each gets one Koordinates catalogue
 * filter subtly wrong — a licence matched by type, a type matched as a prefix, a jurisdiction's case, a version
 * compared as text, a date bound made inclusive, a capitalised boolean, a search term's case, a geotag's case, a
 * second geotag path — while every page stays well formed (X-Resource-Range, Link), so only the runner's catalogue
 * query-depth cases can tell.
 *
 * Most answer the list themselves (`around`): the honest server is asked the request without the filter (the
 * detailed items, `Expand: list`, show the licence), the wrong rule is applied to what it lists, and the page is
 * cut from the result. A request without `Expand: list` is answered honestly.
 */
import type { Reply } from '../../core/types.js';
import { withSearch, type RoutedRequest } from '../request.js';
import { isKoordinatesList, rewriteKoordinatesQuery, type Obj, type Pair } from './query-kit.js';
import type { At, Fault, Run } from './types.js';

const WALK = 1000;

/** The page window, `X-Resource-Range` and `Link` of a catalogue list (the contract's rules; the server's generic
 * machinery does not import the API's own helpers). */
function pageHeaders(base: string, params: URLSearchParams, page: number, size: number, total: number) {
  const start = Math.min((page - 1) * size, total);
  const end = Math.min(start + size, total);
  const last = Math.max(1, Math.ceil(total / size));
  const href = (f: (p: URLSearchParams) => void) => {
    const p = new URLSearchParams(params);
    f(p);
    return `${base}?${p.toString()}`;
  };
  const links: [string, string][] = [
    ['sort-name', href((p) => (p.delete('page'), p.set('sort', 'name')))],
    ['sort-name-desc', href((p) => (p.delete('page'), p.set('sort', '-name')))],
  ];
  if (page > 1) links.push(['page-previous', href((p) => p.set('page', String(Math.min(page - 1, last))))]);
  if (page < last) links.push(['page-next', href((p) => p.set('page', String(page + 1)))]);
  links.push(['page-last', href((p) => p.set('page', String(last)))]);
  return {
    start,
    end,
    headers: {
      'X-Paginate-By': String(size),
      'X-Resource-Range': `${start}-${end}/${total}`,
      Link: links.map(([rel, url]) => `<${url}>; rel="${rel}"`).join(', '),
    },
  };
}

/** An ISO 8601 date or date-time as epoch ms, no zone meaning UTC (the contract's DateTimeInput). */
const utcMs = (v: string) => {
  const t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) || !v.includes('T') ? v : `${v}Z`);
  return Number.isNaN(t) ? undefined : t;
};

const expanded = (req: RoutedRequest) => /^\s*list\s*$/i.test(req.headers.expand ?? '');
const licence = (i: Obj) => (i.license && typeof i.license === 'object' ? (i.license as Obj) : undefined);

/**
 * The catalogue list answered by `keep`'s rule over what the honest server lists for the request without the
 * `names` it takes over; undefined (the honest answer) when `keep` gives no rule.
 */
async function answerKoordinatesWith(
  req: RoutedRequest,
  at: At,
  run: Run,
  names: string[],
  keep: (values: Map<string, string[]>) => ((item: Obj, all: Obj[]) => boolean) | undefined,
): Promise<Reply | undefined> {
  if (!isKoordinatesList(at) || !expanded(req)) return undefined;
  const values = new Map(names.map((n) => [n, at.query.getAll(n).filter((v) => v !== '')]));
  const rule = [...values.values()].some((v) => v.length) ? keep(values) : undefined;
  if (!rule) return undefined;
  const rest: Pair[] = [...at.query].filter(([k]) => !names.includes(k) && k !== 'page' && k !== 'page_size');
  const walked = await walkAll(req, at, run, req.pathname, rest);
  if (!Array.isArray(walked)) return walked;
  const [first, all] = walked;
  const kept = all.filter((i) => rule(i, all));
  const page = Number(at.query.get('page') ?? '1') || 1;
  const size = Number(at.query.get('page_size') ?? '100') || 100;
  const { start, end, headers } = pageHeaders(req.origin + req.pathname, at.query, page, size, kept.length);
  return { ...first, sharedBody: false, body: kept.slice(start, end), headers: { ...first.headers, ...headers } };
}

/** Every item the honest server lists at `path` for `pairs` (with the first reply), or its reply when not a list. */
async function walkAll(
  req: RoutedRequest,
  at: At,
  run: Run,
  path: string,
  pairs: Pair[],
): Promise<[Reply, Obj[]] | Reply> {
  const all: Obj[] = [];
  let first: Reply | undefined;
  for (let page = 1; ; page++) {
    const q = new URLSearchParams([...pairs, ['page', String(page)], ['page_size', String(WALK)]]);
    // the same path keeps its route; another (`/data/` for `/data/latest/`) is routed anew
    const got = await run(
      path === req.pathname ? withSearch(req, q.toString()) : at.reroute(req, `${path}?${q.toString()}`),
    );
    if (got.status !== 200 || !Array.isArray(got.body)) return got;
    first ??= got;
    all.push(...(got.body as Obj[]));
    const total = Number(/\/(\d+)$/.exec(got.headers?.['X-Resource-Range'] ?? '')?.[1] ?? all.length);
    if (all.length >= total || !got.body.length) return [first, all];
  }
}

export const KOORDINATES_QUERY_FAULTS: Fault[] = [
  {
    name: 'catalog-license-by-type',
    area: 'query language',
    description:
      'catalogue license=<id> matches every licence of that licence’s type (license=5, CC BY 3.0 NZ, also CC BY 4.0)',
    around: (req, at, run) =>
      answerKoordinatesWith(req, at, run, ['license'], (v) => {
        const ids = v.get('license')!;
        if (!ids.every((x) => /^\d+$/.test(x))) return undefined;
        return (i, all) => {
          const types = new Set(
            all
              .map(licence)
              .filter((l) => l && ids.includes(String(l.id)))
              .map((l) => l!.type),
          );
          return types.has(licence(i)?.type);
        };
      }),
  },
  {
    name: 'catalog-license-sets-always-match',
    area: 'query language',
    description:
      'catalogue license=… does not apply to sets (a set shows no licence): every set is in every license answer, license=true and license=false alike',
    around: (req, at, run) =>
      answerKoordinatesWith(req, at, run, ['license'], (v) => (i) => {
        if (!('license' in i)) return true;
        const id = licence(i)?.id;
        return v.get('license')!.some((w) => {
          const b = w.toLowerCase();
          if (b === 'true' || b === 'false') return (id !== undefined) === (b === 'true');
          return String(id) === (/(\d+)\/?$/.exec(w)?.[1] ?? '');
        });
      }),
  },
  {
    name: 'catalog-license-type-prefix',
    area: 'query language',
    description: 'catalogue license.type=cc-by also matches the types that extend it (cc-by-nc, cc-by-sa, …)',
    around: (req, at, run) =>
      answerKoordinatesWith(req, at, run, ['license.type'], (v) => (i) => {
        const t = String(licence(i)?.type ?? '');
        return v.get('license.type')!.some((w) => t === w || t.startsWith(`${w}-`));
      }),
  },
  {
    name: 'catalog-license-jurisdiction-case-sensitive',
    area: 'query language',
    description: 'catalogue license.jurisdiction is compared case-sensitively (NZ matches no licence: they hold nz)',
    around: (req, at, run) =>
      answerKoordinatesWith(
        req,
        at,
        run,
        ['license.jurisdiction'],
        (v) => (i) => v.get('license.jurisdiction')!.includes(String(licence(i)?.jurisdiction ?? '')),
      ),
  },
  {
    name: 'catalog-license-version-as-text',
    area: 'query language',
    description: 'catalogue license.version is compared as text (3 matches no 3.0 licence, where it means every 3.x)',
    around: (req, at, run) =>
      answerKoordinatesWith(
        req,
        at,
        run,
        ['license.version'],
        (v) => (i) => v.get('license.version')!.includes(String(licence(i)?.version ?? '')),
      ),
  },
  {
    name: 'catalog-date-after-inclusive',
    area: 'query language',
    description: 'catalogue created_at.after / updated_at.after keep the items at the bound (>= instead of >)',
    request: (req, at) =>
      rewriteKoordinatesQuery(req, at, (pairs) =>
        pairs.map(([k, v]) => {
          const t = /^(created|updated)_at\.after$/.test(k) ? utcMs(v) : undefined;
          return [k, t === undefined ? v : new Date(t - 1).toISOString()];
        }),
      ),
  },
  {
    name: 'catalog-public-capitalised-false',
    area: 'query language',
    description: 'catalogue public=True (capitalised, as the Python client sends it) is read as false',
    request: (req, at) =>
      rewriteKoordinatesQuery(req, at, (pairs) =>
        pairs.map(([k, v]) => [k, k === 'public' && v !== 'true' && v.toLowerCase() === 'true' ? 'false' : v]),
      ),
  },
  {
    name: 'catalog-version-status-published',
    area: 'query language',
    description:
      "catalogue /data/latest/ version.status reads the published version's status, not the latest version's (a draft in error still matches ok)",
    around: async (req, at, run) => {
      if (!isKoordinatesList(at) || at.op?.ext.view !== 'latest' || !at.query.getAll('version.status').length)
        return undefined;
      const published = await walkAll(req, at, run, req.pathname.replace(/latest\/$/, ''), []);
      if (!Array.isArray(published)) return undefined;
      const status = new Map(published[1].map((i) => [i.id, (i.version as Obj | null | undefined)?.status]));
      return answerKoordinatesWith(req, at, run, ['version.status'], (v) => (i) => {
        const shown = status.has(i.id) ? status.get(i.id) : (i.version as Obj | null | undefined)?.status;
        return v.get('version.status')!.includes(String(shown));
      });
    },
  },
  {
    name: 'catalog-q-case-sensitive',
    area: 'query language',
    description: 'catalogue q terms match case-sensitively (Road does not find “road”)',
    around: (req, at, run) =>
      answerKoordinatesWith(req, at, run, ['q'], (v) => {
        const terms = v.get('q')!.flatMap((x) => x.split(/\s+/).filter(Boolean));
        return (i) => {
          const text = [i.title, i.name, i.description, ...((i.tags as string[] | undefined) ?? [])].join('\n');
          return terms.some((t) => text.includes(t));
        };
      }),
  },
  {
    name: 'catalog-geotag-case-sensitive',
    area: 'query language',
    description:
      'catalogue geotag is compared case-sensitively (GLOBAL/Oceania matches no item: they hold lower-case paths)',
    request: (req, at) =>
      rewriteKoordinatesQuery(req, at, (pairs) =>
        pairs.map(([k, v]) => [k, k === 'geotag' && v !== v.toLowerCase() ? `~${v.toLowerCase()}` : v]),
      ),
  },
  {
    name: 'catalog-geotag-no-descendants',
    area: 'query language',
    description:
      'catalogue geotag matches only items tagged with the path itself, not its descendants (global/oceania leaves out items tagged global/oceania/new-zealand)',
    around: (req, at, run) => {
      // listed items do not show their geotags: the fault reads them from the store the operation lists
      const name = at.op?.ext.collection;
      if (typeof name !== 'string') return Promise.resolve(undefined);
      const stored = at.env.store.collection(name);
      return answerKoordinatesWith(req, at, run, ['geotag'], (v) => {
        const paths = v.get('geotag')!.map((p) => p.toLowerCase());
        return (i) => {
          const tags = stored.get(i.id as number)?.geotags;
          return Array.isArray(tags) && tags.some((g) => paths.includes(String(g).toLowerCase()));
        };
      });
    },
  },
  {
    name: 'catalog-geotag-or-first-only',
    area: 'query language',
    description: 'catalogue geotag=a&geotag=b applies the first path only (b’s items are left out)',
    request: (req, at) =>
      rewriteKoordinatesQuery(req, at, (pairs) => {
        const first = pairs.findIndex(([k]) => k === 'geotag');
        return pairs.filter(([k], n) => k !== 'geotag' || n === first);
      }),
  },
];
