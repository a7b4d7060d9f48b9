/** The shape of a planted fault (the catalogue is index.ts): a named transform of the request, answer or reply. */
import type { Operation } from '../../contracts/route-table.js';
import type { Env, Reply } from '../../core/types.js';
import type { RoutedRequest } from '../request.js';

/** Where a fault is applied: the routed request as sent, before any fault rewrote it. */
export interface At {
  op?: Operation;
  /** upper case */
  method: string;
  query: URLSearchParams;
  env: Env;
  /** the request sent to another path (`/data/` for `/data/latest/`), routed anew: for `around` faults that ask
   *  the honest server about another path (a lookup of its own; a fault changing only the query uses withSearch) */
  reroute(req: RoutedRequest, url: string): RoutedRequest;
}

export type Run = (req: RoutedRequest) => Reply | Promise<Reply>;

export interface Fault {
  name: string;
  area: string;
  description: string;
  request?(req: RoutedRequest, at: At): RoutedRequest;
  answer?(req: RoutedRequest, at: At): Reply | undefined;
  /** applied to every answer of the faulted stages, errors included (seen as the reply they would be) */
  reply?(reply: Reply, at: At): Reply;
  /** answer in the server's place, asking the honest server (`run`) what it needs; undefined: not this request */
  around?(req: RoutedRequest, at: At, run: Run): Promise<Reply | undefined>;
}
