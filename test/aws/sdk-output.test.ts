import { describe, expect, it, vi } from 'vitest';
import { oneLine, sdkLogger, withSdkOutput } from '../../src/aws/sdk-output.js';

describe('the AWS SDK’s own output', () => {
  it('inside withSdkOutput, console.warn/error, process.emitWarning and the logger go to the sink as single lines; afterwards all is as before', async () => {
    const { warn, error } = console;
    const emitWarning = process.emitWarning;
    const lines: [string, string][] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await withSdkOutput(
        (line, level) => lines.push([line, level]),
        async () => {
          console.warn('@aws-sdk/credential-provider-node - defaultProvider::fromEnv WARNING:\n    Multiple credential sources detected: \n    Both are set.\n');
          console.error('boom');
          process.emitWarning('The AWS SDK for JavaScript (v3)\nwill require node >=22.', 'NodeVersionSupportWarning');
          sdkLogger.warn('@aws-sdk - WARN - default STS region of us-east-1 used.');
        },
      );
      expect(lines).toEqual([
        ['Multiple credential sources detected: Both are set.', 'warn'],
        ['boom', 'error'],
        ['NodeVersionSupportWarning: The AWS SDK for JavaScript (v3) will require node >=22.', 'warn'],
        ['default STS region of us-east-1 used.', 'warn'],
      ]);
      expect(stderr).not.toHaveBeenCalled();
      expect(console.warn).toBe(warn);
      expect(console.error).toBe(error);
      expect(process.emitWarning).toBe(emitWarning);
      // Outside any flow step: one line on stderr, never a paragraph.
      sdkLogger.warn('a\n  b');
      expect(stderr).toHaveBeenCalledWith('AWS SDK: a b\n');
    } finally {
      stderr.mockRestore();
    }
  });

  it('oneLine keeps what an Error or an object says', () => {
    expect(oneLine([new Error('nope'), { a: 1 }])).toBe('nope {"a":1}');
  });
});
