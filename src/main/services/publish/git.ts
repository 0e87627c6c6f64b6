// The system `git`, run with execFile (no shell) and never with a credential in its arguments:
// an https token travels as an http.extraHeader set through GIT_CONFIG_* environment variables,
// so it is not in argv, not in .git/config, and is scrubbed from every error message.
import { execFile } from 'node:child_process';

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  cwd: string;
  /** Token for https remotes (GitHub, GitLab, Gitea, …). */
  token?: string | null;
  timeoutMs?: number;
}

function basicHeader(token: string): string {
  return `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}

/** Removes tokens, their encoded header and any user:password@ in URLs from text shown or logged. */
export function redact(text: string, token?: string | null): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
  if (token) {
    for (const secret of [token, Buffer.from(`x-access-token:${token}`).toString('base64')])
      out = out.split(secret).join('***');
  }
  return out;
}

export function gitEnv(token?: string | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    LC_ALL: 'C',
    GIT_CONFIG_COUNT: '0',
  };
  if (token) {
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = basicHeader(token);
  }
  return env;
}

export function git(
  args: readonly string[],
  options: GitOptions,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: gitEnv(options.token),
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 120_000,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const detail = redact((stderr || error.message).trim(), options.token);
        const command = redact(`git ${args[0] ?? ''}`, options.token);
        reject(
          new GitError(`${command} failed: ${detail.split('\n').slice(-3).join(' ')}`, detail),
        );
      },
    );
  });
}

/** True when a push failed because the remote branch moved (someone else pushed first). */
export function isRejectedPush(error: unknown): boolean {
  if (!(error instanceof GitError)) return false;
  // A hook or branch protection saying no will say no again: that is not a race.
  if (/hook declined|protected branch|permission|denied/i.test(error.stderr)) return false;
  return /\[rejected\]|\[remote rejected\]|non-fast-forward|fetch first|stale info|failed to update ref|cannot lock ref/i.test(
    error.stderr,
  );
}
