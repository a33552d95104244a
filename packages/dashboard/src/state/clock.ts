// The server's clock as seen from the browser: relative times ("3 min ago") are computed against it, so a
// browser whose clock is off (or a test server with a manual clock) still reads right.
import { useEffect, useState } from 'preact/hooks';

let offsetMs = 0;
let precise = false;

/** Learns the server's time. A Date header has second precision: it only corrects offsets of more than 2 s. */
export function syncServerTime(time: string, coarse = false): void {
  const at = Date.parse(time);
  if (!Number.isFinite(at)) return;
  const offset = at - Date.now();
  if (coarse) {
    if (precise || Math.abs(offset - offsetMs) < 2000) return;
  } else {
    precise = true;
  }
  offsetMs = offset;
}

export function serverNow(): number {
  return Date.now() + offsetMs;
}

const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

/** Re-renders the component every second with the server's current time (one shared timer for the page). */
export function useNow(): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    subscribers.add(update);
    timer ??= setInterval(() => subscribers.forEach((fn) => fn()), 1000);
    return () => {
      subscribers.delete(update);
      if (subscribers.size === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, []);
  return serverNow();
}
