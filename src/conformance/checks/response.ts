/**
 * Per-response checks generated from the contract, applied to every answer of an operation: the status is
 * documented, the content type is a documented one, the body is valid against the documented schema, and the
 * documented headers are present and well-formed. Each is a small function: Exchange in, Problems out.
 */
import type { ContractValidators } from '../../contracts/validators.js';
import { describeErrors } from '../../contracts/validators.js';
import type { CheckedExchange, Problem } from '../types.js';
import { shorten } from '../recorder.js';
import {
  documentedHeaders,
  documentedResponse,
  documentedResponseKeys,
  isJsonMedia,
  mediaTypes,
  pointer,
  responseSchema,
} from '../contract-view.js';

export interface CheckContext {
  validators: ContractValidators;
}

export interface ResponseCheck {
  name: string;
  run(x: CheckedExchange, ctx: CheckContext): Problem[];
}

export const statusCodeDocumented: ResponseCheck = {
  name: 'status_code_documented',
  run({ op, response }) {
    if (!op || documentedResponse(op, response.status)) return [];
    return [
      {
        expected: `one of the documented statuses ${documentedResponseKeys(op).join(', ')}`,
        actual: `${response.status} ${shorten(response.text, 200)}`,
        contractPath: pointer(op, 'responses'),
      },
    ];
  },
};

export const contentType: ResponseCheck = {
  name: 'content_type',
  run({ op, request, response }) {
    const resp = op && documentedResponse(op, response.status);
    if (!op || !resp) return [];
    const types = mediaTypes(resp);
    const where = pointer(op, 'responses', resp.key, 'content');
    const empty = response.text.length === 0;
    if (types.length === 0) {
      return empty
        ? []
        : [
            {
              expected: 'an empty body (the contract documents none)',
              actual: `${response.mediaType || 'no content type'}: ${shorten(response.text, 200)}`,
              contractPath: pointer(op, 'responses', resp.key),
            },
          ];
    }
    if (empty) {
      if (request.method === 'HEAD') return [];
      return [{ expected: `a body of type ${types.join(' or ')}`, actual: 'an empty body', contractPath: where }];
    }
    // OpenAPI media type ranges: `*/*` and `image/*` take any type, any image type
    const inRange = (t: string) => t === '*/*' || (t.endsWith('/*') && response.mediaType.startsWith(t.slice(0, -1)));
    if (types.includes(response.mediaType) || types.some(inRange)) return [];
    return [
      {
        expected: `Content-Type ${types.join(' or ')}`,
        actual: `Content-Type ${response.mediaType || '(none)'}`,
        contractPath: where,
      },
    ];
  },
};

export const responseSchemaValid: ResponseCheck = {
  name: 'response_schema',
  run({ op, response }, ctx) {
    const resp = op && documentedResponse(op, response.status);
    if (!op || !resp || response.text.length === 0) return [];
    const types = mediaTypes(resp);
    const media = types.includes(response.mediaType) ? response.mediaType : types.find(isJsonMedia);
    if (!media || !isJsonMedia(media)) return [];
    const schema = responseSchema(resp, media);
    if (schema === undefined) return [];
    const where = pointer(op, 'responses', resp.key, 'content', media, 'schema');
    if (response.json === undefined)
      return [{ expected: 'a JSON body', actual: shorten(response.text, 200), contractPath: where }];
    const validate = ctx.validators.forSchema(op.api, schema);
    if (validate(response.json)) return [];
    const errors = describeErrors(validate.errors).slice(0, 3);
    return [
      {
        expected: `a body valid against ${schemaName(schema)}`,
        actual: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
        contractPath: where,
      },
    ];
  },
};

export const headersDocumented: ResponseCheck = {
  name: 'headers_documented',
  run({ op, response }, ctx) {
    const resp = op && documentedResponse(op, response.status);
    if (!op || !resp) return [];
    const problems: Problem[] = [];
    for (const h of documentedHeaders(op, resp)) {
      const value = response.headers[h.name.toLowerCase()];
      const where = pointer(op, 'responses', resp.key, 'headers', h.name);
      if (value === undefined) {
        if (h.required) problems.push({ expected: `header ${h.name}`, actual: 'absent', contractPath: where });
        continue;
      }
      if (h.schema === undefined) continue;
      const validate = ctx.validators.forSchema(op.api, h.schema);
      const typed = /^-?\d+(\.\d+)?$/.test(value) && !validate(value) ? Number(value) : value;
      if (!validate(typed)) {
        const [e] = describeErrors(validate.errors);
        problems.push({
          expected: `header ${h.name} valid against its schema`,
          actual: `${h.name}: ${shorten(value, 200)} (${e?.message ?? 'invalid'})`,
          contractPath: where,
        });
      }
    }
    return problems;
  },
};

export const RESPONSE_CHECKS: ResponseCheck[] = [
  statusCodeDocumented,
  contentType,
  responseSchemaValid,
  headersDocumented,
];

function schemaName(schema: unknown): string {
  const ref = schema && typeof schema === 'object' ? (schema as { $ref?: unknown }).$ref : undefined;
  return typeof ref === 'string' ? ref : 'the documented schema';
}
