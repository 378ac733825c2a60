// Writes a large file atomically, over and over, until killed: the atomicity test SIGKILLs it mid-write.
import { writeFileAtomic } from '../../src/engine/atomic-write.js';

const [path, letter] = process.argv.slice(2);
const content = (letter ?? 'B').repeat(4 << 20);
process.stdout.write('writing\n');
for (;;) writeFileAtomic(path ?? '', content);
