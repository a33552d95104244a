// One status for a group of checks (a tag's badge, a host in the roll-up): the worst one that is being monitored.

/** Worst first; paused only when every check of the group is paused; an empty group is new. */
export function combinedStatus(statuses: string[]): string {
  for (const status of ['down', 'late', 'up', 'new']) if (statuses.includes(status)) return status;
  return statuses.length ? 'paused' : 'new';
}
