// Where app passwords and git tokens live: only in the main process, behind this interface.
// Electron keeps them with safeStorage (src/main/electron/vault.ts), web mode in a 0600 file.

export interface CredentialVault {
  /** The secret stored under `name`, or null. */
  get(name: string): Promise<string | null>;
  set(name: string, secret: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** Names only, so a settings screen can show what is stored without reading it. */
  names(): Promise<string[]>;
}

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

const NAME = /^[\x21-\x7e]{1,300}$/;

export function checkName(name: string): string {
  if (!NAME.test(name))
    throw new VaultError(
      `"${name.slice(0, 40)}" is not a usable credential name (printable ASCII, 1–300 characters).`,
    );
  return name;
}

export function checkSecret(secret: string): string {
  if (!secret || secret.length > 10_000)
    throw new VaultError('A credential must be between 1 and 10,000 characters long.');
  return secret;
}
