// The door lists the repository's config once and reuses the listing while the files it came from
// are unchanged; any change to them (the repository config, a file it includes, one it names but
// that did not exist yet, HEAD for onbranch includes) is seen by the next call, so a driver added
// between calls is still switched off and never runs.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openGitDoor } from '../../sandbox/git.js';
import { tempDir, tempRepo, writeFiles } from '../helpers/temp-repo.js';

const sh = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });

/** An environment whose `git` logs each call's arguments, then runs the real git. */
function loggingGit(): { env: NodeJS.ProcessEnv; listings: () => number } {
  const dir = tempDir('sprout-git-wrap-');
  const log = join(dir, 'calls.log');
  writeFileSync(join(dir, 'git'), `#!/bin/sh\necho "$*" >> ${log}\nexec /usr/bin/git "$@"\n`);
  chmodSync(join(dir, 'git'), 0o755);
  const listings = () => (existsSync(log) ? readFileSync(log, 'utf8') : '').split('\n').filter((line) => line.startsWith('config --list')).length;
  return { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, listings };
}

/** Files written less than a second ago are not trusted to show their next change: let them age. */
const settle = () => sleep(1100);

/** A filter that leaves `marker` behind if git ever runs it. */
function addFilter(configFile: string, marker: string): void {
  execFileSync('git', ['config', '--file', configFile, 'filter.evil.clean', `touch ${marker}; cat`]);
  execFileSync('git', ['config', '--file', configFile, 'filter.evil.smudge', `touch ${marker}; cat`]);
}

describe('the git door reuses its config listing only while its files are unchanged', () => {
  it('lists the config once for many calls on an unchanged repository', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    await settle();
    const git = loggingGit();
    const door = await openGitDoor(repo, { env: git.env });
    for (let i = 0; i < 4; i++) await door.run(['status', '--short']);
    expect(git.listings()).toBe(1);
  });

  it('sees a filter the repository config gains between calls, and switches it off', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    await settle();
    const git = loggingGit();
    const door = await openGitDoor(repo, { env: git.env });
    await door.run(['status']);
    const marker = join(tempDir(), 'ran');
    addFilter(join(repo, '.git', 'config'), marker);
    writeFiles(repo, { '.gitattributes': '* filter=evil\n', 'a.txt': 'changed\n' });
    await door.run(['add', '-A']);
    expect(git.listings()).toBe(2);
    expect([...door.disabled]).toEqual(['filter "evil"']);
    expect(existsSync(marker)).toBe(false);
  });

  it('sees an include target outside the work tree appear and change between calls', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const included = join(tempDir('sprout-include-'), 'extra.cfg'); // not there yet
    sh(repo, 'config', 'include.path', included);
    await settle();
    const door = await openGitDoor(repo);
    await door.run(['status']);
    expect([...door.disabled]).toEqual([]);
    const marker = join(tempDir(), 'ran');
    addFilter(included, marker);
    writeFiles(repo, { '.gitattributes': '* filter=evil\n', 'a.txt': 'changed\n' });
    await door.run(['add', '-A']);
    expect([...door.disabled]).toEqual(['filter "evil"']);
    expect(existsSync(marker)).toBe(false);
  });

  it('lists again after a branch switch, which an onbranch include depends on', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const included = join(tempDir('sprout-include-'), 'branch.cfg');
    const marker = join(tempDir(), 'ran');
    addFilter(included, marker);
    sh(repo, 'config', 'includeIf.onbranch:evil.path', included);
    writeFiles(repo, { '.gitattributes': '* filter=evil\n' });
    sh(repo, 'add', '-A');
    sh(repo, 'commit', '-qm', 'attributes');
    await settle();
    const door = await openGitDoor(repo);
    await door.run(['status']);
    expect([...door.disabled]).toEqual([]); // not on that branch: the include does not apply
    await door.run(['switch', '-q', '-c', 'evil']);
    writeFileSync(join(repo, 'a.txt'), 'changed\n');
    await door.run(['add', '-A']);
    expect([...door.disabled]).toEqual(['filter "evil"']);
    expect(existsSync(marker)).toBe(false);
  });
});
