// One temporary folder per test run, handed to every test process through the environment and
// removed when the run ends: fixtures put their data folders in it and never leave them behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'curio-test-'));
  process.env.CURIO_TEST_TMP = root;
  return () => rmSync(root, { recursive: true, force: true });
}
