// Learned schedules: accept (re-times the check like a schedule change) or dismiss a check's proposed schedule.
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { acceptProposal, dismissProposal } from '../checks/learned-schedule.js';
import { changeOneCheck } from '../checks/change-checks.js';
import { keyed } from './auth.js';
import { loadCheck, presentChecks } from './context.js';
import { pingAudienceOf } from './present.js';
import { CheckParams, CheckSchema, ErrorSchema, errorResponses } from './schemas.js';

export async function learnedScheduleRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const write = keyed(db, 'write');
  const tags = ['checks'];
  const response = { 200: CheckSchema, 409: ErrorSchema, ...errorResponses };

  app.post(
    '/checks/:check/proposed-schedule/accept',
    {
      onRequest: write,
      schema: {
        tags,
        summary: "Accept the schedule a check created by a ping proposes (from its first pings): it becomes the check's schedule",
        params: CheckParams,
        response,
      },
    },
    async (request) => {
      const row = await changeOneCheck(runtime, async (ops, now) =>
        acceptProposal(ops, await loadCheck(ops.db, request, request.params.check), now),
      );
      return (await presentChecks(runtime, row.workspace_id, [row], pingAudienceOf(request.auth)))[0];
    },
  );

  app.post(
    '/checks/:check/proposed-schedule/dismiss',
    {
      onRequest: write,
      schema: {
        tags,
        summary: "Dismiss a check's proposed schedule: it keeps its schedule and proposes no other",
        params: CheckParams,
        response,
      },
    },
    async (request) => {
      const row = await changeOneCheck(runtime, async (ops) =>
        dismissProposal(ops.db, await loadCheck(ops.db, request, request.params.check)),
      );
      return (await presentChecks(runtime, row.workspace_id, [row], pingAudienceOf(request.auth)))[0];
    },
  );
}
