import { Box, Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { useSyncExternalStore } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/engine/errors.js';
import { secondsToNextCode } from '../../src/engine/prompter.js';
import { PromptArea } from '../../screens/prompts/prompt-area.js';
import { PromptBroker } from '../../screens/state/prompt-broker.js';
import { KEY, plain, press, settle, type, waitFor, waitForFrame } from './support.js';

/** The same wiring the flow screen uses: the broker's current request, rendered by PromptArea. */
function Harness({ broker }: { broker: PromptBroker }) {
  const request = useSyncExternalStore(broker.subscribe, broker.getSnapshot);
  return request ? <PromptArea request={request} /> : <Text>no question</Text>;
}

function setup() {
  const broker = new PromptBroker();
  const app = render(<Harness broker={broker} />);
  return { broker, ...app };
}

/** Tracks a promise's outcome without awaiting it, so a test can assert it is still pending. */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

afterEach(() => {
  cleanup();
});

describe('PromptBroker + PromptArea', () => {
  it('an MFA code: the wizard counts down to the app’s next code, on the 30-second TOTP clock', async () => {
    const { broker, lastFrame } = setup();
    await waitForFrame(lastFrame, 'no question');
    track(broker.mfaCode({ serial: 'arn:aws:iam::123456789012:mfa/alice' }));
    const frame = await waitForFrame(lastFrame, /The app shows a new code in \d+ s\./);
    const left = Number(/new code in (\d+) s/.exec(frame)?.[1]);
    expect(left).toBeGreaterThanOrEqual(1);
    expect(left).toBeLessThanOrEqual(30);
    // It ticks: a second later it says another number (or the code turned over).
    await waitFor(() => Number(/new code in (\d+) s/.exec(lastFrame() ?? '')?.[1]) !== left, () => 'the countdown to tick', 2_500);
    broker.cancel();
  });

  it('secondsToNextCode follows RFC 6238’s steps from the Unix epoch', () => {
    expect(secondsToNextCode(Date.UTC(2026, 11, 7, 22, 0, 0))).toBe(30);
    expect(secondsToNextCode(Date.UTC(2026, 11, 7, 22, 0, 12, 500))).toBe(18);
    expect(secondsToNextCode(Date.UTC(2026, 11, 7, 22, 0, 59, 999))).toBe(1);
  });

  it('text: a failed validation shows the problem and lets the person try again', async () => {
    const { broker, lastFrame, stdin } = setup();
    await waitForFrame(lastFrame, 'no question');
    const answer = track(
      broker.text({ id: 'app', message: 'App name', validate: (v) => (v.length < 3 ? 'At least 3 characters.' : undefined) }),
    );
    await waitForFrame(lastFrame, 'App name:');

    await type(stdin, 'ab');
    await waitForFrame(lastFrame, 'App name: ab');
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, 'At least 3 characters.');
    expect(answer.settled).toBe(false);

    // Second chance: the field keeps what was typed; adding to it and submitting again works.
    await type(stdin, 'c');
    await waitForFrame(lastFrame, 'App name: abc');
    await press(stdin, KEY.enter);
    await waitFor(() => answer.settled, () => 'the text answer to resolve');
    expect(answer).toEqual({ settled: true, value: 'abc' });
    await waitForFrame(lastFrame, 'no question');
    expect(broker.getSnapshot()).toBeUndefined();
  });

  it('text: text and Enter arriving in one chunk (a paste, tmux) submit the text', async () => {
    const { broker, lastFrame, stdin } = setup();
    await waitForFrame(lastFrame, 'no question');
    const answer = track(broker.text({ id: 'approval', message: 'Type "prod" to approve' }));
    await waitForFrame(lastFrame, 'to approve');
    stdin.write('prod\r');
    await waitFor(() => answer.settled, () => 'the pasted answer to resolve');
    expect(answer).toEqual({ settled: true, value: 'prod' });
  });

  it('text: several Backspaces in one read erase, Ctrl-U in a burst clears — neither is typed as text', async () => {
    const { broker, lastFrame, stdin } = setup();
    await waitForFrame(lastFrame, 'no question');
    const answer = track(broker.text({ id: 'approval', message: 'Type "prod" to approve' }));
    await waitForFrame(lastFrame, 'to approve');
    // What a person typing "dev", then three quick Backspaces, then "prod" sends through tmux.
    stdin.write('dev');
    await waitForFrame(lastFrame, 'dev');
    stdin.write('\u007F\u007F\u007F');
    stdin.write('xy\u0015prod\r');
    await waitFor(() => answer.settled, () => 'the answer to resolve');
    expect(answer).toEqual({ settled: true, value: 'prod' });
  });

  it('text: a question wider than the terminal wraps whole, and what is typed follows it (at 80 columns)', async () => {
    const broker = new PromptBroker();
    // As the flow screen places a question: in a padded box, here one 80 columns wide.
    function Narrow() {
      const request = useSyncExternalStore(broker.subscribe, broker.getSnapshot);
      return <Box width={80} paddingX={1}>{request ? <PromptArea request={request} /> : <Text>no question</Text>}</Box>;
    }
    const { lastFrame, stdin } = render(<Narrow />);
    const message = 'Command to run once in a task of this environment (e.g. ./manage.py migrate)';
    const answer = track(broker.text({ id: 'command', message }));
    // Its last characters were cut: the question squeezed into a column beside the input.
    let frame = await waitForFrame(lastFrame, 'Command to run');
    expect(frame.split('\n')[0]).toBe(` ${message}:`);
    await type(stdin, "sh -c 'echo migrating; exit 3'");
    frame = await waitForFrame(lastFrame, "exit 3'");
    expect(frame.split('\n').map((line) => line.trimEnd())).toEqual([` ${message}:`, " sh -c 'echo migrating; exit 3'"]);
    await press(stdin, KEY.enter);
    await waitFor(() => answer.settled, () => 'the answer');
    expect(answer.value).toBe("sh -c 'echo migrating; exit 3'");
  });

  it('text: an empty answer is refused unless there is a default, which is then taken', async () => {
    const { broker, lastFrame, stdin } = setup();
    const first = track(broker.text({ id: 'name', message: 'Your name' }));
    await waitForFrame(lastFrame, 'Your name:');
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, 'An answer is needed.');
    expect(first.settled).toBe(false);
    broker.cancel();
    await waitFor(() => first.settled, () => 'the cancelled question to settle');

    const second = track(broker.text({ id: 'region', message: 'Region', default: 'eu-west-1' }));
    await waitForFrame(lastFrame, 'Region (eu-west-1):');
    await press(stdin, KEY.enter);
    await waitFor(() => second.settled, () => 'the defaulted answer to resolve');
    expect(second.value).toBe('eu-west-1');
  });

  it('mfaCode: anything but six digits is refused with a hint, six digits are accepted', async () => {
    const { broker, lastFrame, stdin } = setup();
    const code = track(broker.mfaCode({ serial: 'arn:aws:iam::123456789012:mfa/ana' }));
    await waitForFrame(lastFrame, 'MFA code for arn:aws:iam::123456789012:mfa/ana');
    await type(stdin, '12');
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, 'An MFA code is the 6 digits');
    expect(code.settled).toBe(false);
    await type(stdin, '3456');
    await press(stdin, KEY.enter);
    await waitFor(() => code.settled, () => 'the MFA code to resolve');
    expect(code.value).toBe('123456');
  });

  it('secret: the typed characters never appear in any frame, and the promise gets them', async () => {
    const { broker, lastFrame, stdin, frames } = setup();
    const secret = 'XYZZY42';
    // The message has none of the secret's characters, so finding any of them in a frame means an echo.
    const answer = track(broker.secret({ id: 'token', message: 'Access token' }));
    await waitForFrame(lastFrame, 'Access token:');
    await type(stdin, secret);
    await waitForFrame(lastFrame, `Access token: ${'*'.repeat(secret.length)}`);
    await press(stdin, KEY.enter);
    await waitFor(() => answer.settled, () => 'the secret to resolve');
    expect(answer.value).toBe(secret);
    expect(frames.length).toBeGreaterThan(secret.length);
    for (const frame of frames) {
      expect(plain(frame)).not.toMatch(/[XYZ42]/);
    }
  });

  it('secret: a default is neither shown nor hinted at', async () => {
    const { broker, lastFrame } = setup();
    void track(broker.secret({ id: 'password', message: 'Password', default: 'hunter2' }));
    const frame = await waitForFrame(lastFrame, 'Password:');
    expect(frame).not.toContain('hunter2');
    broker.cancel();
  });

  it('select: the cursor starts on the default, ↓ moves it, Enter resolves with the value', async () => {
    const { broker, lastFrame, stdin } = setup();
    const choice = track(
      broker.select({
        id: 'env',
        message: 'Which environment?',
        default: 'staging',
        choices: [
          { value: 'dev', label: 'Development' },
          { value: 'staging', label: 'Staging' },
          { value: 'prod', label: 'Production', hint: 'needs approval' },
        ],
      }),
    );
    await waitForFrame(lastFrame, '❯ Staging');
    await press(stdin, KEY.down);
    const frame = await waitForFrame(lastFrame, '❯ Production');
    expect(frame).toContain('needs approval');
    expect(choice.settled).toBe(false);
    await press(stdin, KEY.enter);
    await waitFor(() => choice.settled, () => 'the select to resolve');
    expect(choice.value).toBe('prod');
  });

  it('select: keys in one burst mean what they mean typed one by one ("jj\\r" moves twice and picks; "dev\\r" picks the focused entry)', async () => {
    const { broker, lastFrame, stdin } = setup();
    const choices = [
      { value: 'dev', label: 'dev' },
      { value: 'staging', label: 'staging' },
      { value: 'prod', label: 'prod' },
    ];
    const moved = track(broker.select({ id: 'env', message: 'Which environment?', choices }));
    await waitForFrame(lastFrame, '❯ dev');
    await settle();
    stdin.write('jj\r'); // one read: ink hands it over as one string, Enter included
    await waitFor(() => moved.settled, () => `the burst to pick; frame:\n${plain(lastFrame())}`);
    expect(moved.value).toBe('prod');

    // Someone who took the list for a text field types the name and Enter: Enter still picks.
    const typed = track(broker.select({ id: 'env', message: 'Which environment?', choices }));
    await waitForFrame(lastFrame, '❯ dev');
    await settle();
    stdin.write('dev\r');
    await waitFor(() => typed.settled, () => `Enter in the burst to pick; frame:\n${plain(lastFrame())}`);
    expect(typed.value).toBe('dev');
  });

  it('confirm: y or n and Enter in one burst answer it (the first answer counts)', async () => {
    const { broker, lastFrame, stdin } = setup();
    const yes = track(broker.confirm({ id: 'go', message: 'Create a console password?', default: false }));
    await waitForFrame(lastFrame, 'Create a console password? (y/N)');
    await settle();
    stdin.write('y\r');
    await waitFor(() => yes.settled, () => `"y\\r" to answer; frame:\n${plain(lastFrame())}`);
    expect(yes.value).toBe(true);

    const no = track(broker.confirm({ id: 'go', message: 'Delete its log group too?', default: true }));
    await waitForFrame(lastFrame, 'Delete its log group too? (Y/n)');
    await settle();
    stdin.write('n\r');
    await waitFor(() => no.settled, () => `"n\\r" to answer; frame:\n${plain(lastFrame())}`);
    expect(no.value).toBe(false);
  });

  it('confirm: y resolves true, n resolves false, Enter takes the default', async () => {
    const { broker, lastFrame, stdin } = setup();

    const yes = track(broker.confirm({ id: 'go', message: 'Create the role?' }));
    await waitForFrame(lastFrame, 'Create the role? (y/n)');
    // Enter without a default answers nothing.
    await press(stdin, KEY.enter);
    expect(yes.settled).toBe(false);
    await press(stdin, 'y');
    await waitFor(() => yes.settled, () => 'y to resolve the confirm');
    expect(yes.value).toBe(true);

    const no = track(broker.confirm({ id: 'go', message: 'Delete the stack?', default: true }));
    await waitForFrame(lastFrame, 'Delete the stack? (Y/n)');
    await press(stdin, 'n');
    await waitFor(() => no.settled, () => 'n to resolve the confirm');
    expect(no.value).toBe(false);

    const byDefault = track(broker.confirm({ id: 'go', message: 'Push now?', default: false }));
    await waitForFrame(lastFrame, 'Push now? (y/N)');
    await press(stdin, KEY.enter);
    await waitFor(() => byDefault.settled, () => 'Enter to take the default');
    expect(byDefault.value).toBe(false);
  });

  it('cancel() rejects the open question with CancelledError and clears it from the screen', async () => {
    const { broker, lastFrame } = setup();
    const answer = track(broker.text({ id: 'app', message: 'App name' }));
    await waitForFrame(lastFrame, 'App name:');
    broker.cancel();
    await waitFor(() => answer.settled, () => 'the question to be rejected');
    expect(answer.error).toBeInstanceOf(CancelledError);
    expect(answer.value).toBeUndefined();
    await waitForFrame(lastFrame, 'no question');
    expect(broker.getSnapshot()).toBeUndefined();
    // With nothing open, cancel is harmless.
    expect(() => broker.cancel()).not.toThrow();
  });
});
