// Must-hold 2 of issue 11, bounded: while a shell call of the same turn keeps swapping a directory
// for a symlink to a host folder, no write_file, edit_file or apply_patch call lands outside the
// working directory. Real CLI, real bwrap, a scripted model. The bigger run is test/stress/.
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runSwapRace } from '../helpers/swap-race.js';

const startServer = fakeServerPerTest();

it('file tools racing a dir<->symlink swapper in the same turn never write outside the working directory', async () => {
  const race = await runSwapRace({ turns: 4, writesPerTurn: 150, startServer, timeoutMs: 90_000 });
  expect(race.run.code, race.run.stderr).toBe(0);
  expect(race.fileResults.length).toBe(4 * 151);
  // The swapper really ran while the writes did.
  expect(race.swaps).toBeGreaterThan(0);
  expect(race.outsideEntries).toEqual([]);
  expect(race.strayNames).toEqual([]);
}, 120_000);
