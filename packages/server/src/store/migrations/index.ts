// Every migration, in order. Add a file and a line here; never edit a migration that has shipped.
import type { Migration } from 'kysely';
import * as core from './0001_core.js';
import * as alerts from './0002_alerts.js';
import * as dialects from './0003_dialects.js';
import * as dashboard from './0004_dashboard.js';
import * as operations from './0006_operations.js';
import * as slugCounters from './0007_slug_counters.js';
import * as invitations from './0008_invitations.js';
import * as retiredIdentifiers from './0009_retired_identifiers.js';
import * as pushTokens from './0010_push_tokens.js';
import * as checkReadIds from './0016_check_read_ids.js';
import * as maintenance from './0017_maintenance.js';
import * as dependencies from './0018_dependencies.js';
import * as runShape from './0019_run_shape.js';
import * as rateQuorumLate from './0020_rate_quorum_late.js';
import * as openIncidentPlan from './0021_open_incident_plan.js';

export const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_alerts': alerts,
  '0003_dialects': dialects,
  '0004_dashboard': dashboard,
  '0006_operations': operations,
  '0007_slug_counters': slugCounters,
  '0008_invitations': invitations,
  '0009_retired_identifiers': retiredIdentifiers,
  '0010_push_tokens': pushTokens,
  '0016_check_read_ids': checkReadIds,
  '0017_maintenance': maintenance,
  '0018_dependencies': dependencies,
  '0019_run_shape': runShape,
  '0020_rate_quorum_late': rateQuorumLate,
  '0021_open_incident_plan': openIncidentPlan,
};
