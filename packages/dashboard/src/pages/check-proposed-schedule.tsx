// On the check page of a check created by a ping: the schedule its first pings suggest, accepted with one click
// (it becomes the check's schedule, re-timing it) or dismissed (it keeps its schedule and proposes no other).
import { api } from '../api/client';
import type { Check } from '../api/types';
import { checksStore } from '../state/checks';
import { Button, toast, useAction } from '../components/ui';

export function ProposedSchedule({ check, canWrite }: { check: Check; canWrite: boolean }) {
  const proposal = check.proposed_schedule;
  const act = useAction(async (what: 'accept' | 'dismiss') => {
    const updated = await api<Check>('POST', `/checks/${check.id}/proposed-schedule/${what}`);
    checksStore.upsert([updated]);
    toast(what === 'accept' ? `Schedule set: ${proposal!.sentence}.` : 'Dismissed: the check keeps its schedule.');
  });
  if (!proposal) return null;
  return (
    <div class="notice" data-testid="proposed-schedule">
      <div class="row">
        <span class="grow">
          Looks like <strong>{proposal.sentence}</strong>
          {canWrite ? ' — ' : ''}
          {canWrite && (
            <Button variant="primary" busy={act.busy} onClick={() => void act.run('accept')}>
              Accept
            </Button>
          )}
        </span>
        {canWrite && (
          <Button busy={act.busy} onClick={() => void act.run('dismiss')}>
            Dismiss
          </Button>
        )}
      </div>
      <p class="small muted">
        {proposal.explanation} This check was created by a ping, so its schedule (now a guess) can be learned from its pings.
      </p>
      {act.error && (
        <p class="form-error" role="alert">
          {act.error}
        </p>
      )}
    </div>
  );
}
