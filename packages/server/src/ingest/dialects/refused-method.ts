// healthchecks.io answers a ping whose method the check does not accept (GET on a POST-only check) with 200 and
// logs it as ignored, so `curl -fsS` in a crontab does not fail every run. Overdue does the same.
import type { Services } from '../../services.js';
import type { IncomingSignal } from '../signal.js';
import type { IngestOutcome } from '../apply-batch.js';

/** Submits a signal; when the check refuses its method, stores it as an `ignored` signal instead (the method in its metadata). */
export async function submitIgnoringRefusedMethod(services: Services, sig: IncomingSignal): Promise<IngestOutcome & { ignored?: true }> {
  const outcome = await services.ingest.submit(sig);
  if (outcome.kind !== 'method_not_allowed') return outcome;
  // Without a method the check's method rule does not apply; the method is kept in the metadata instead.
  const stored = await services.ingest.submit({
    ...sig, kind: 'ignored', method: null, progress: null, exitCode: null, createWith: null,
    metadata: { ...sig.metadata, ignored: `method ${sig.method} is not allowed for this check (allowed: ${outcome.allowed.join(', ')})`, method: sig.method },
  });
  return { ...stored, ignored: true };
}
