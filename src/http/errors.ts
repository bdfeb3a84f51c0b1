// The one place where machine codes become HTTP statuses, and the JSON shape of every error.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { IssueCode } from '../engine/issues.js';

export type HttpErrorCode =
  | IssueCode
  | 'MalformedJson'
  | 'PayloadTooLarge'
  | 'LimitExceeded'
  | 'Unauthorized'
  | 'Forbidden'
  | 'AuthNotConfigured'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'InternalError';

const STATUS: Record<HttpErrorCode, ContentfulStatusCode> = {
  MalformedJson: 400,
  SchemaViolation: 422,
  InvalidBounds: 422,
  InvalidWindow: 422,
  InvalidProfile: 422,
  DuplicateRuleId: 422,
  InvalidMetricTarget: 422,
  UnknownRuleSet: 422,
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
  // 401: no valid credentials. 403: valid credentials that may not do this (a webhook signature,
  // which is scoped to POST /v1/evaluate, on any other route).
  Unauthorized: 401,
  Forbidden: 403,
  AuthNotConfigured: 503,
  NotFound: 404,
  MethodNotAllowed: 405,
  InternalError: 500,
};

export function statusOf(code: HttpErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

export interface ErrorBody {
  code: HttpErrorCode;
  message: string;
  path: string;
  position?: number;
  issues?: unknown[];
}

export function errorResponse(c: Context, body: ErrorBody): Response {
  return c.json({ error: body }, statusOf(body.code));
}
