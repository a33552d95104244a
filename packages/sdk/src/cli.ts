#!/usr/bin/env node
// The `overdue` executable (see cli/main.ts).
import { main } from './cli/main.js';

const ending = await main(process.argv.slice(2));
if (ending) {
  if (ending.signal) {
    // Die of the same signal the command died of, so whoever started us sees what really happened.
    process.kill(process.pid, ending.signal);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  process.exit(ending.code);
}
