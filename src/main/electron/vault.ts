// The desktop vault: each secret is encrypted with Electron's safeStorage (Keychain, DPAPI,
// libsecret/KWallet) and the ciphertext kept in a 0600 file in the user-data folder. On Linux
// without a keyring safeStorage falls back to a hard-coded key ('basic_text'), which is no
// protection at all, so the vault refuses to store rather than pretend.
import { safeStorage } from 'electron';
import {
  VaultError,
  checkName,
  checkSecret,
  type CredentialVault,
} from '../services/vault/credential-vault';
import { FileCredentialVault } from '../services/vault/file-vault';

export const ENCRYPTED_VAULT_FILE = 'credentials.safe-storage.json';

export class SafeStorageVault implements CredentialVault {
  private readonly file: FileCredentialVault;

  constructor(userDataDir: string) {
    this.file = new FileCredentialVault(userDataDir, ENCRYPTED_VAULT_FILE);
  }

  private assertSecureBackend(): void {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new VaultError(
        'This system offers no encrypted storage for passwords, so Curio cannot keep one. Use web mode, or sign in to a desktop session with a keyring.',
      );
    }
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      throw new VaultError(
        'No keyring (GNOME Keyring or KWallet) is running, so passwords would be stored in plain text; Curio refuses to. Start a keyring and try again, or pass --password-store=gnome-libsecret.',
      );
    }
  }

  async get(name: string): Promise<string | null> {
    const stored = await this.file.get(checkName(name));
    if (stored === null) return null;
    try {
      return safeStorage.decryptString(Buffer.from(stored, 'base64'));
    } catch {
      throw new VaultError(
        `The stored credential "${name}" can no longer be decrypted (the keyring changed); enter it again.`,
      );
    }
  }

  async set(name: string, secret: string): Promise<void> {
    checkName(name);
    checkSecret(secret);
    this.assertSecureBackend();
    await this.file.set(name, safeStorage.encryptString(secret).toString('base64'));
  }

  delete(name: string): Promise<void> {
    return this.file.delete(name);
  }

  names(): Promise<string[]> {
    return this.file.names();
  }
}
