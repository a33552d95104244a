// Management API: a workspace's alerting settings — draft mode and batching.
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { saveWorkspaceSettings, workspaceSettings } from '../store/workspaces.js';
import { alertSettingsOf, withAlertSettings } from '../alerts/settings.js';
import { publishAllDrafts } from '../alerts/incident-actions.js';
import { keyed } from './auth.js';
import { workspaceOf } from './context.js';
import { errorResponses } from './schemas.js';
import { inTransaction } from '../store/transaction.js';
import { HOUR_S } from '../core/index.js';

const SettingsSchema = Type.Object({
  draft_mode: Type.Boolean({ description: 'record incidents but send nothing until they are published' }),
  batching: Type.Boolean({ description: 'combine many notifications for one channel into one digest' }),
  batch_window_s: Type.Integer({ minimum: 1, maximum: HOUR_S, description: 'during a storm, at most one digest per channel per window' }),
});

export async function alertSettingsRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const tags = ['workspace'];

  app.get(
    '/workspace/alerting',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags,
        summary: 'Alerting settings of the workspace: draft mode and batching',
        response: { 200: SettingsSchema, ...errorResponses },
      },
    },
    async (request) => alertSettingsOf(await workspaceSettings(db, workspaceOf(request))),
  );

  app.patch(
    '/workspace/alerting',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags,
        summary: 'Change alerting settings; switching draft mode off publishes every draft incident',
        body: Type.Partial(SettingsSchema, { additionalProperties: false }),
        response: { 200: SettingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const change = request.body;
      const { settings, released } = await inTransaction(db, async (trx) => {
        const stored = await workspaceSettings(trx, workspaceId);
        const before = alertSettingsOf(stored);
        const json = withAlertSettings(stored, change);
        await saveWorkspaceSettings(trx, workspaceId, json);
        const after = alertSettingsOf(json);
        const count = before.draft_mode && !after.draft_mode ? await publishAllDrafts(trx, workspaceId, runtime.clock.now()) : 0;
        return { settings: after, released: count };
      });
      if (released > 0) {
        runtime.delivery.wake();
        void runtime.scheduler.wakeForAlertTimers();
      }
      return settings;
    },
  );
}
