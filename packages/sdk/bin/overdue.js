#!/usr/bin/env node
// The `overdue` executable. It lives outside dist/ so npm can link it before the first build; the CLI itself is
// compiled from src/cli.ts.
import '../dist/cli.js';
