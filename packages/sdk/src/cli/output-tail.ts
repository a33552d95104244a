// The last N bytes of a command's output, kept without holding all of it.

export const TAIL_BYTES = 10 * 1024;

export class OutputTail {
  private chunks: Buffer[] = [];
  private kept = 0;
  /** Every byte seen, kept or not. */
  total = 0;

  constructor(private readonly limit = TAIL_BYTES) {}

  push(chunk: Buffer | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.chunks.push(buffer);
    this.kept += buffer.length;
    this.total += buffer.length;
    // Drop whole chunks that lie entirely before the window.
    while (this.chunks.length > 1 && this.kept - this.chunks[0].length >= this.limit) {
      this.kept -= this.chunks.shift()!.length;
    }
  }

  /** The kept output as text, starting on a whole UTF-8 character, with a note of what was cut. */
  text(): string {
    let tail = Buffer.concat(this.chunks);
    if (tail.length > this.limit) tail = tail.subarray(tail.length - this.limit);
    let start = 0;
    while (start < tail.length && start < 4 && (tail[start] & 0xc0) === 0x80) start += 1;
    const text = tail.subarray(start).toString('utf8');
    const dropped = this.total - tail.length + start;
    return dropped > 0 ? `[… ${dropped} earlier bytes of output omitted …]\n${text}` : text;
  }
}
