// A small argument parser (no dependencies): known options anywhere before the operands end, `--` ends options.

export class UsageError extends Error {}

export interface OptionSpec {
  /** Long name without dashes, e.g. "url". */
  name: string;
  short?: string;
  /** Takes a value (`--url X`, `--url=X`); otherwise a boolean flag. */
  value?: boolean;
}

export interface Parsed {
  options: Record<string, string | boolean>;
  operands: string[];
  /** Whatever followed `--`, or followed the operand that ends parsing (see stopAfter). */
  rest: string[];
  /** True when the rest came after an explicit `--`. */
  dashDash: boolean;
}

/**
 * Parses argv against the options given. With `stopAfter: n`, parsing stops at the first word that is not an
 * option once n operands were read, so the rest (a command and its own flags, for `exec`) is taken verbatim.
 */
export function parseArgs(argv: string[], specs: OptionSpec[], stopAfter?: number): Parsed {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const parsed: Parsed = { options: {}, operands: [], rest: [], dashDash: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.rest = argv.slice(i + 1);
      parsed.dashDash = true;
      return parsed;
    }
    if (stopAfter != null && parsed.operands.length >= stopAfter && !arg.startsWith('-')) {
      parsed.rest = argv.slice(i);
      return parsed;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown option --${name}`);
    } else if (arg.startsWith('-') && arg.length === 2 && !/^-\d$/.test(arg)) {
      spec = byShort.get(arg[1]);
      if (!spec) throw new UsageError(`unknown option ${arg}`);
    } else {
      parsed.operands.push(arg);
      continue;
    }
    if (spec.value) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`option --${spec.name} needs a value`);
      parsed.options[spec.name] = value;
    } else {
      if (inline !== undefined) throw new UsageError(`option --${spec.name} takes no value`);
      parsed.options[spec.name] = true;
    }
  }
  return parsed;
}
