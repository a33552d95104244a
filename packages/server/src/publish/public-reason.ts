// Why a check is down, in words for the public status page. The recorded reason is written for the people who run
// the job (run ids, exact times in ISO form, grace settings, the job's own message), none of which belongs on a
// public page: it is reduced to what kind of trouble it is.

/** The public sentence for an incident's recorded reason. */
export function publicReason(reason: string): string {
  if (/^no heartbeat received/i.test(reason)) return 'It did not check in on schedule.';
  if (/^received a failure signal/i.test(reason)) return 'It reported a failure.';
  if (/did not finish within/i.test(reason)) return 'A run did not finish in time.';
  return 'It is not working as expected.';
}
