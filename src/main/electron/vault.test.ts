// The desktop vault with Electron's safeStorage mocked, over a real folder: it keeps only
// ciphertext on disk, and refuses to store anything when the encryption would be no protection.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENCRYPTED_VAULT_FILE, SafeStorageVault } from './vault';

/** A stand-in for the OS keyring: reversible, and never the plain text. */
const electron = vi.hoisted(() => ({
  safeStorage: {
    isEncryptionAvailable: vi.fn(() => true),
    getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
    encryptString: vi.fn((plain: string) => Buffer.from(`sealed:${[...plain].reverse().join('')}`)),
    decryptString: vi.fn((sealed: Buffer) => {
      const text = sealed.toString();
      if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext');
      return [...text.slice('sealed:'.length)].reverse().join('');
    }),
  },
}));
vi.mock('electron', () => electron);

const NAME = 'bluesky:https://bsky.social:ada.example';
const SECRET = 'abcd-efgh-ijkl-mnop';
const platform = process.platform;
let dir: string;

beforeEach(() => {
  vi.clearAllMocks();
  dir = mkdtempSync(join(tmpdir(), 'curio-safe-vault-test-'));
  electron.safeStorage.isEncryptionAvailable.mockReturnValue(true);
  electron.safeStorage.getSelectedStorageBackend.mockReturnValue('gnome_libsecret');
  Object.defineProperty(process, 'platform', { value: 'linux' });
});
afterEach(() => {
  Object.defineProperty(process, 'platform', { value: platform });
  rmSync(dir, { recursive: true, force: true });
});

describe('SafeStorageVault', () => {
  it('keeps only ciphertext on disk and gives the secret back', async () => {
    const vault = new SafeStorageVault(dir);
    await vault.set(NAME, SECRET);
    const onDisk = readFileSync(join(dir, ENCRYPTED_VAULT_FILE), 'utf8');
    expect(onDisk).not.toContain(SECRET);
    expect(await vault.get(NAME)).toBe(SECRET);
    expect(await vault.names()).toEqual([NAME]);
  });

  it("refuses to store a password when Linux has no keyring ('basic_text')", async () => {
    electron.safeStorage.getSelectedStorageBackend.mockReturnValue('basic_text');
    const vault = new SafeStorageVault(dir);
    await expect(vault.set(NAME, SECRET)).rejects.toMatchObject({
      name: 'VaultError',
      message: expect.stringMatching(/No keyring .* Curio refuses to/),
    });
    expect(existsSync(join(dir, ENCRYPTED_VAULT_FILE))).toBe(false);
    expect(electron.safeStorage.encryptString).not.toHaveBeenCalledWith(SECRET);
  });

  it('refuses to store a password when the system has no encryption at all', async () => {
    electron.safeStorage.isEncryptionAvailable.mockReturnValue(false);
    await expect(new SafeStorageVault(dir).set(NAME, SECRET)).rejects.toMatchObject({
      name: 'VaultError',
      message: expect.stringMatching(/no encrypted storage for passwords/),
    });
    expect(existsSync(join(dir, ENCRYPTED_VAULT_FILE))).toBe(false);
  });

  it('says to enter a credential again when the keyring can no longer decrypt it', async () => {
    const vault = new SafeStorageVault(dir);
    await vault.set(NAME, SECRET);
    electron.safeStorage.decryptString.mockImplementationOnce(() => {
      throw new Error('Error while decrypting the ciphertext');
    });
    await expect(vault.get(NAME)).rejects.toMatchObject({
      name: 'VaultError',
      message: expect.stringMatching(/can no longer be decrypted .* enter it again/),
    });
  });
});
