#!/usr/bin/env node
// Runs the server's command line directly (npm start uses this: `node packages/server/dist/main.js serve`).
// Installed setups use the `overdue` executable of @overdue/sdk, which delegates server commands here.
import { runServerCli } from './cli/program.js';

await runServerCli(process.argv);
