// What `overdue help` prints.
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT_S, DEFAULT_URL } from './settings.js';

export const HELP = `overdue — report cron jobs and workers to Overdue

Job-side commands:
  overdue exec <check> [--] <command> [args…]
      Run a command as one monitored run: start, then success or fail with its exit status and the
      last 10 KB of its output. Exits with the command's own status; SIGTERM/SIGINT/SIGHUP are passed on
      (at a terminal, Ctrl-C and hang-ups already reach the command, so only SIGTERM is).
      If Overdue is unreachable the command still runs; reporting gives up after --timeout seconds.

  overdue ping <check> [start|success|fail|log|progress [0-100]|<exit status>] [-m <message>] [--rid <id>]
      Send one signal. Exits 1 when Overdue could not be reached or refused it.

  overdue import-crontab [<file>|-] [--tz <zone>] [--system] [--prefix <text>] [--grace <s>] [--bin <cmd>]
      Create or update one check per crontab job (cron schedule + time zone; matched by slug), then print
      the crontab with each job wrapped in \`overdue exec\`. Reads the file, or stdin for "-" or no file.
      Needs an API key with write scope.

  overdue apply -f <file|-> [--dry-run] [--prune]
      Make the checks, channels and maintenance windows of a monitors-as-code file (overdue.yaml) true
      on the server, in one transaction, and print the plan: create / change (field: old → new) / delete /
      unchanged. --dry-run only prints it; --prune also deletes what the file's sections do not name.
      \${NAME} in the file is the environment variable NAME. Needs an API key with write scope.
      See docs/monitors-as-code.md.

  overdue export [-o <file>] [--format yaml|json]
      Print the workspace as such a file (channel secrets masked; applying it back changes nothing).

  <check> is a check's UUID, its 8-character key, {ping_key}/{slug}, or a full ping URL.

Server commands (need @overdue/server installed): serve, migrate, key create, backup, doctor — see \`overdue serve --help\`.

Settings (highest first): flags, environment, config file, defaults.
  --url <url>          OVERDUE_URL        where Overdue runs (default ${DEFAULT_URL})
  --api-key <key>      OVERDUE_API_KEY    for import-crontab, apply and export (pings need no key)
  --timeout <s>        OVERDUE_TIMEOUT    seconds one signal may take, retries included (default ${DEFAULT_TIMEOUT_S})
  --retries <n>        OVERDUE_RETRIES    retries after a failed attempt (default ${DEFAULT_RETRIES})
  --config <file>      OVERDUE_CONFIG     a JSON config file to use instead of the two below
  Config files: ./.overdue.json, then $XDG_CONFIG_HOME/overdue/config.json (~/.config/overdue/config.json),
  holding {"url": "…", "apiKey": "…", "timeout": 5, "retries": 2}.
  -q, --quiet          do not warn on stderr when Overdue cannot be reached
`;
