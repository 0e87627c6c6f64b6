// Web mode's vault: one JSON file readable only by the user (0600), rewritten atomically
// (temp file + rename) so a crash never leaves half a file. Writes are queued in-process so two
// concurrent set() calls cannot lose each other's entry.
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { checkName, checkSecret, VaultError, type CredentialVault } from './credential-vault';

const VaultFileSchema = z.object({
  version: z.literal(1),
  secrets: z.record(z.string(), z.string()),
});
type VaultFile = z.infer<typeof VaultFileSchema>;

export const VAULT_FILE_NAME = 'credentials.json';

export class FileCredentialVault implements CredentialVault {
  readonly path: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string, fileName: string = VAULT_FILE_NAME) {
    this.path = join(dataDir, fileName);
  }

  async get(name: string): Promise<string | null> {
    checkName(name);
    await this.queue;
    return (await this.read()).secrets[name] ?? null;
  }

  async names(): Promise<string[]> {
    await this.queue;
    return Object.keys((await this.read()).secrets).sort();
  }

  async set(name: string, secret: string): Promise<void> {
    checkName(name);
    checkSecret(secret);
    return this.update((file) => {
      file.secrets[name] = secret;
    });
  }

  async delete(name: string): Promise<void> {
    checkName(name);
    return this.update((file) => {
      delete file.secrets[name];
    });
  }

  private update(change: (file: VaultFile) => void): Promise<void> {
    const next = this.queue.then(async () => {
      const file = await this.read();
      change(file);
      await this.write(file);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<VaultFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, secrets: {} };
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new VaultError(
        `The credential file ${this.path} is not valid JSON; move it aside and enter the passwords again.`,
      );
    }
    const parsed = VaultFileSchema.safeParse(json);
    if (!parsed.success)
      throw new VaultError(
        `The credential file ${this.path} has an unknown layout; move it aside and enter the passwords again.`,
      );
    return { version: 1, secrets: { ...parsed.data.secrets } };
  }

  private async write(file: VaultFile): Promise<void> {
    const dir = join(this.path, '..');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.${Date.now()}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(file, null, 2) + '\n', 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await chmod(temp, 0o600);
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }
}
