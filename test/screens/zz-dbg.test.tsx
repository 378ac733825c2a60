import { render } from 'ink-testing-library';
import { it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { FlowScreen } from '../../screens/flow-screen.js';
import { PromptBroker } from '../../screens/state/prompt-broker.js';
import { plain, press, tempEnv, tick } from './support.js';
it('dbg', async () => {
  const temp = tempEnv();
  const flow = { name: 'test', title: 'T', questions: [], target: async () => ({}), context: async (b: any) => b, steps: [{ id: 'a', title: 'A', probe: async () => undefined, apply: async () => ({}) }] };
  const { lastFrame, stdin, frames } = render(<FlowScreen flowName="test" args={parseCli(['doctor'])} env={temp.env} broker={new PromptBroker()} flows={[{ name: 'test', label: 'x', description: '', load: async () => flow }]} onExit={(c) => console.log('exit', c)} onHome={() => console.log('home')} />);
  await tick(500);
  console.log(plain(lastFrame()));
  console.log('listeners', stdin.listenerCount('readable'));
  await press(stdin, 'q'); await tick(200);
  console.log(frames.length);
});
