/** The shape of a planted fault (faults.ts, query-faults.ts): a named transform of the request, the answer or the reply. */
import type { Operation } from '../contracts/route-table.js';
import type { Env, Reply } from '../core/types.js';
import type { PlainRequest } from './dispatch.js';

export interface At {
  op?: Operation;
  method: string;
  query: URLSearchParams;
  env: Env;
}

export interface Fault {
  name: string;
  area: string;
  description: string;
  request?(req: PlainRequest, at: At): PlainRequest;
  answer?(req: PlainRequest, at: At): Reply | undefined;
  reply?(reply: Reply, at: At): Reply;
  /** answer in the server's place, using the honest server (`run`) to read what it needs; undefined: not this request */
  around?(req: PlainRequest, at: At, run: (req: PlainRequest) => Reply | Promise<Reply>): Promise<Reply | undefined>;
}
