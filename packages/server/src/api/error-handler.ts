// Every error answer is JSON {error: {code, message}} with the right status; never a stack trace, never a 500 for bad input.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, OverdueError, type ErrorCode } from '../errors.js';
import { describeValidation } from './validation-message.js';
import { isStoreUnavailable } from '../store/transaction.js';

const FASTIFY_CODES: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'The request body is larger than 1 MB.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the body as application/json.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [
    400,
    'invalid_json',
    'The body is empty but Content-Type says JSON; send a JSON object or drop the header.',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'Content-Length does not match the body.'],
  FST_ERR_BAD_URL: [400, 'bad_url', 'The URL could not be decoded.'],
};

/** `fallback` may answer a request no route matched (the dashboard's client routes); it returns false when it does not. */
export function installErrorHandlers(app: FastifyInstance, fallback?: (request: FastifyRequest, reply: FastifyReply) => boolean): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof OverdueError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return reply.code(error.status).send(errorBody(error.code, error.message));
    }
    if (error.validation) {
      const where = error.validationContext ?? 'request';
      return reply.code(400).send(errorBody('invalid_request', describeValidation(error.validation, where)));
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return reply.code(known[0]).send(errorBody(known[1], known[2]));
    if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return reply.code(400).send(errorBody('invalid_json', `The body is not valid JSON: ${error.message}`));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody('bad_request', error.message));
    if (isStoreUnavailable(error)) {
      // Locked, full, unreachable: nothing was applied, and the same request can succeed shortly.
      request.log.warn({ err: error }, 'store unavailable');
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(
          errorBody(
            'store_unavailable',
            'The store cannot be written right now (locked, full or unreachable); nothing was applied. Retry shortly.',
          ),
        );
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send(errorBody('internal', 'Something went wrong on our side; the request was not applied. Retry, and report it if it persists.'));
  });

  app.setNotFoundHandler((request, reply) => {
    if (fallback?.(request, reply)) return;
    reply
      .code(404)
      .send(
        errorBody(
          'not_found',
          `No route ${request.method} ${request.url.split('?')[0]}. The API lives under /api/v1 (see /api/v1/openapi.json).`,
        ),
      );
  });
}
