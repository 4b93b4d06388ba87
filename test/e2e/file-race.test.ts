// Must-hold 2 of issue 11, bounded: while a shell call of the same turn keeps swapping a directory
// for a symlink to a host folder, no write_file, edit_file or apply_patch call lands outside the
// working directory. Real CLI, real bwrap, a scripted model. The bigger run is test/stress/.
import { it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { expectRaceContained } from '../helpers/swap-race.js';

const startServer = fakeServerPerTest();

it('file tools racing a dir<->symlink swapper in the same turn never write outside the working directory', async () => {
  await expectRaceContained({ turns: 4, writesPerTurn: 150, startServer, timeoutMs: 90_000 });
}, 120_000);
