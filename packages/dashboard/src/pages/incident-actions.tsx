// What people do to an incident from the dashboard: acknowledge it (reminders stop) and publish a draft (its held
// notifications go out). The alerts link to the check page, so its open incident is shown there with these actions.
import { useEffect } from 'preact/hooks';
import { api, get, query } from '../api/client';
import type { Incident, Page } from '../api/types';
import { useCan } from '../state/session';
import { Button, toast, useAction, useLoad } from '../components/ui';
import { absolute, relative } from '../format/time';

/** Acknowledge and publish buttons for one open incident; `onChanged` gets the incident as the server now has it. */
export function IncidentActions({ incident, onChanged }: { incident: Incident; onChanged(incident: Incident): void }) {
  const can = useCan();
  const ack = useAction(async () => {
    const updated = await api<Incident>('POST', `/incidents/${incident.id}/acknowledge`);
    toast(`Acknowledged: no more reminders for "${updated.check_name ?? 'this check'}" until it recovers.`);
    onChanged(updated);
  });
  const publish = useAction(async () => {
    const updated = await api<Incident>('POST', `/incidents/${incident.id}/publish`);
    toast('Published: its notifications are being sent.');
    onChanged(updated);
  });
  if (!can.write || !incident.open) return null;
  return (
    <span class="row incident-actions">
      {incident.draft && (
        <Button variant="small" busy={publish.busy} onClick={() => void publish.run()}>
          Publish
        </Button>
      )}
      {!incident.acknowledged && (
        <Button
          variant="small primary"
          busy={ack.busy}
          onClick={() => void ack.run()}
          aria-label={`Acknowledge the incident of ${incident.check_name ?? 'this check'}`}
        >
          Acknowledge
        </Button>
      )}
      {(ack.error ?? publish.error) && (
        <span class="form-error" role="alert">
          {ack.error ?? publish.error}
        </span>
      )}
    </span>
  );
}

/** Who acknowledged, and when: "acknowledged by Ada 3 min ago". */
export function AcknowledgedLine({ incident, now }: { incident: Incident; now: number }) {
  if (!incident.acknowledged) return null;
  return (
    <span class="small muted" title={absolute(incident.acknowledged_at)}>
      acknowledged{incident.acknowledged_by ? ` by ${incident.acknowledged_by}` : ''} {relative(incident.acknowledged_at, now)}
    </span>
  );
}

/** The check's open incident, if it has one: reason, since when, and the actions. Reloads when the check changes. */
export function OpenIncident({ checkId, changedAt, now }: { checkId: string; changedAt: string; now: number }) {
  const { data, reload, setData } = useLoad(
    () => get<Page<Incident>>(`/incidents${query({ check: checkId, open: true, limit: 1 })}`).then((p) => p.items[0] ?? null),
    [checkId],
  );
  useEffect(() => {
    void reload();
  }, [changedAt]);
  if (!data) return null;
  return (
    <div class="notice warn" data-testid="open-incident" role="region" aria-label="Open incident">
      <div class="row">
        <strong>Incident open</strong>
        <span class="small muted" title={absolute(data.opened_at)}>
          since {relative(data.opened_at, now)}
        </span>
        {data.draft && <span class="small muted">· draft: notifications are held until it is published</span>}
        {!data.acknowledged && data.next_alert_at && <span class="small muted">· next reminder {relative(data.next_alert_at, now)}</span>}
        <span class="grow" />
        <AcknowledgedLine incident={data} now={now} />
        <IncidentActions incident={data} onChanged={(i) => setData(i.open ? i : null)} />
      </div>
      <p class="small" style={{ marginTop: '4px' }}>
        {data.reason}
      </p>
    </div>
  );
}
