// Hexcovery's heartbeat API: POST /api/v1/heartbeat/{start|log|end|ping} with a job *name*, X-API-Key, and
// headers attributing the job to a host, a service and a project. The first signal for a name creates its check.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { iso, type SignalKind } from '../core/index.js';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { keyed } from '../api/auth.js';
import { PRESETS } from '../checks/presets.js';
import { badRequest } from '../errors.js';
import { clip, keptBody, MESSAGE_MAX, signal } from '../ingest/incoming-signal.js';
import { acceptAnyBody, rawBody } from './raw-body.js';
import { bodyFields, headerText, oneOf, optionalText, origin, submit, type Fields } from './common.js';

const EVENTS = ['start', 'log', 'end', 'ping'] as const;
type Event = (typeof EVENTS)[number];

/** How `end` (and `ping`) spell the outcome; success is the default. */
const OUTCOMES: Record<string, 'success' | 'fail'> = {
  success: 'success',
  succeeded: 'success',
  ok: 'success',
  failure: 'fail',
  fail: 'fail',
  failed: 'fail',
  error: 'fail',
};

/** Fields with a meaning of their own; the rest of the body is kept as the signal's metadata. */
const KNOWN = new Set(['name', 'status', 'message', 'run_id', 'exit_code']);

function jobName(fields: Fields): string {
  const name = fields.name;
  if (typeof name !== 'string' || name.trim() === '')
    throw badRequest('invalid_field', 'name is required: the job\'s name, e.g. {"name": "nightly-backup"}.');
  if (name.trim().length > 200) throw badRequest('invalid_field', 'name must be at most 200 characters.');
  return name.trim();
}

function kindOf(event: Event, fields: Fields): SignalKind {
  if (event === 'start') return 'start';
  if (event === 'log') return 'log';
  return oneOf(fields, 'status', OUTCOMES, 'success');
}

function exitCodeOf(fields: Fields): number | null {
  const code = fields.exit_code;
  if (code == null) return null;
  if (!Number.isInteger(code) || (code as number) < 0 || (code as number) > 255)
    throw badRequest('invalid_field', 'exit_code must be a whole number from 0 to 255.');
  return code as number;
}

function runIdOf(fields: Fields): string | null {
  const rid = fields.run_id;
  if (rid == null || rid === '') return null;
  if (typeof rid !== 'string' && typeof rid !== 'number') throw badRequest('invalid_field', 'run_id must be a string.');
  return clip(String(rid), 200);
}

export async function hexcoveryRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  acceptAnyBody(app);

  const handler = (event: Event) => async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.auth!;
    const fields = bodyFields(request) ?? {};
    const name = jobName(fields);
    const kind = kindOf(event, fields);
    const host = headerText(request, 'X-Hexcovery-Host', 200);
    const service = headerText(request, 'X-Hexcovery-Service', 200);
    const project = headerText(request, 'X-Hexcovery-Project', 200);
    const extra = Object.fromEntries(Object.entries(fields).filter(([k]) => !KNOWN.has(k)));
    const attribution = { ...(project ? { project } : {}), ...(service ? { service } : {}) };

    const outcome = await submit(
      runtime,
      signal({
        ref: { by: 'name', workspaceId: key.workspaceId, name },
        kind,
        dialect: 'hexcovery',
        workspaceId: key.workspaceId,
        rid: runIdOf(fields),
        exitCode: exitCodeOf(fields),
        message: clip(optionalText(fields, 'message', 100_000), MESSAGE_MAX),
        body: keptBody(rawBody(request.body)),
        metadata: Object.keys(extra).length ? extra : null,
        ...origin(request),
        host,
        attribution: Object.keys(attribution).length ? attribution : null,
        createWith: { ...PRESETS.hexcovery, ...attribution, learn_schedule: true },
      }),
      'job',
    );
    const check = outcome.check;
    return reply.code(outcome.created ? 201 : 200).send({
      ok: true,
      event,
      name,
      created: outcome.created,
      check_id: check.id,
      check_key: check.key,
      run_id: outcome.runId,
      status: check.status,
      running: check.open_runs > 0,
      received_at: iso(outcome.at),
    });
  };

  // The key is checked before the body is read: a caller without one costs no parsing.
  const onRequest = keyed(runtime.store.db, 'ping');
  for (const event of EVENTS) {
    app.post(`/api/v1/heartbeat/${event}`, { schema: { hide: true }, onRequest }, handler(event));
  }
}
