// Errors that reach a client: an HTTP status, a stable code from the catalogue (error-codes.ts), and a sentence the
// user can act on.
import type { ErrorCode } from './error-codes.js';

export type { ErrorCode } from './error-codes.js';

export class OverdueError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'OverdueError';
  }
}

export const badRequest = (code: ErrorCode, message: string) => new OverdueError(400, code, message);
export const unauthorized = (message = 'Send an API key in the X-Api-Key header or as "Authorization: Bearer <key>".') =>
  new OverdueError(401, 'unauthorized', message);
export const forbidden = (message: string) => new OverdueError(403, 'forbidden', message);
export const notFound = (code: ErrorCode, message: string) => new OverdueError(404, code, message);
export const conflict = (code: ErrorCode, message: string) => new OverdueError(409, code, message);
export const unavailable = (message: string) => new OverdueError(503, 'unavailable', message, { 'retry-after': '1' });

/** The JSON body of every error answer (protocol.md §5). */
export function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}
