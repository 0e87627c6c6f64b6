export { VaultError, type CredentialVault } from './credential-vault';
export { FileCredentialVault, VAULT_FILE_NAME } from './file-vault';
