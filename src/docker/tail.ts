/** Keeps the last few output lines, so a failure can quote them without buffering a whole build. */
export class LineTail {
  private readonly kept: string[] = [];

  constructor(private readonly max = 20) {}

  push(line: string): void {
    this.kept.push(line);
    if (this.kept.length > this.max) this.kept.shift();
  }

  text(): string {
    return this.kept.join('\n');
  }
}
