// The one place where machine codes become HTTP statuses, and the JSON shape of every error.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTP_ERROR_CODES } from '../schemas/codes.js';
import type { ErrorBody } from '../schemas/decision.js';

export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

const STATUS: Record<HttpErrorCode, ContentfulStatusCode> = {
  MalformedJson: 400,
  SchemaViolation: 422,
  InvalidBounds: 422,
  InvalidWindow: 422,
  InvalidProfile: 422,
  DuplicateRuleId: 422,
  InvalidMetricTarget: 422,
  UnknownRuleSet: 422,
  UnknownActuator: 422,
  UnknownMetric: 422,
  MetricFormat: 422,
  ExprSyntax: 422,
  ExprTooLong: 422,
  ExprRefused: 422,
  ExprBudget: 422,
  ExprDepthLimit: 422,
  ExprSizeLimit: 422,
  ExprRuntime: 422,
  ExprType: 422,
  ImportError: 422,
  // Bytes are the content's size (RFC 9110 §15.5.14, 413 Content Too Large); a count over a limit
  // (targets, points, rules, profiles, expression length) is well-formed content the server will not
  // process, which is 422 like every other refusal of the body's meaning.
  PayloadTooLarge: 413,
  LimitExceeded: 422,
  // 401: no valid credentials. 403: valid credentials that may not do this (src/http/scopes.ts: a
  // route, delivery, a target or a rule set outside the credential's scope), or a browser page of
  // another origin (src/http/csrf.ts). An inline rule set with a bundled id is a body problem: 422.
  Unauthorized: 401,
  OriginNotAllowed: 403,
  RouteNotAllowed: 403,
  DeliverNotAllowed: 403,
  TargetNotAllowed: 403,
  RuleSetNotAllowed: 403,
  ReservedRuleSetId: 422,
  // RFC 9110 §15.5.16: POST bodies are application/json only (src/http/csrf.ts).
  UnsupportedMediaType: 415,
  AuthNotConfigured: 503,
  NotFound: 404,
  MethodNotAllowed: 405,
  InternalError: 500,
};

export function statusOf(code: HttpErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

export function errorResponse(c: Context, body: ErrorBody): Response {
  // A body over the limit is refused before it is read to the end, so the rest of it may still be on
  // the wire: the connection cannot carry another request. Saying so lets the client (and the Node
  // server) close it cleanly instead of leaving a keep-alive connection hanging or broken.
  if (body.code === 'PayloadTooLarge') c.header('Connection', 'close');
  return c.json({ error: body }, statusOf(body.code));
}
