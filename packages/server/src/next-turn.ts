// Long work on the event loop (a big scheduler pass, a retention sweep, a large answer) goes in slices a turn apart,
// so that pings arriving meanwhile are read and answered between slices: a monitor that stops answering looks dead.

/** Lets every callback waiting on the event loop (pings, timers, other requests) run before going on. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
