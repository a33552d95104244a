// Figures a suite measured, printed in one recognisable line so a reader of the test output can quote them.
export function report(suite: string, figures: Record<string, string | number>): void {
  const text = Object.entries(figures)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  process.stdout.write(`[survival] ${suite}: ${text}\n`);
}
