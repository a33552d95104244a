// Learned schedules: accept (re-times the check like a schedule change) or dismiss a check's proposed schedule.
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime.js';
import { acceptProposal, dismissProposal } from '../checks/learned-schedule.js';
import { inTransaction } from '../store/transaction.js';
import { keyed } from './auth.js';
import { afterChange, loadCheck, presentChecks } from './context.js';
import { pingAudienceOf } from './present.js';
import { CheckParams, CheckSchema, ErrorSchema, errorResponses } from './schemas.js';

export async function learnedScheduleRoutes(app: FastifyInstance, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const write = keyed(db, 'write');
  const tags = ['checks'];
  const response = { 200: CheckSchema, 409: ErrorSchema, ...errorResponses };

  app.post('/checks/:check/proposed-schedule/accept', {
    onRequest: write,
    schema: { tags, summary: 'Accept the schedule a check created by a ping proposes (from its first pings): it becomes the check\'s schedule', params: CheckParams, response },
  }, async (request) => {
    const now = runtime.clock.now();
    const row = await inTransaction(db, async (trx) => {
      const current = await loadCheck(trx, request, (request.params as { check: string }).check);
      return acceptProposal({ db: trx, publicUrl: runtime.config.publicUrl }, current, now);
    });
    afterChange(runtime, [row]);
    return (await presentChecks(runtime, row.workspace_id, [row], pingAudienceOf(request.auth)))[0];
  });

  app.post('/checks/:check/proposed-schedule/dismiss', {
    onRequest: write,
    schema: { tags, summary: 'Dismiss a check\'s proposed schedule: it keeps its schedule and proposes no other', params: CheckParams, response },
  }, async (request) => {
    const row = await inTransaction(db, async (trx) => dismissProposal(trx, await loadCheck(trx, request, (request.params as { check: string }).check)));
    afterChange(runtime, [row]);
    return (await presentChecks(runtime, row.workspace_id, [row], pingAudienceOf(request.auth)))[0];
  });
}
