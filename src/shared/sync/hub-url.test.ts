import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isPlainRemoteHubUrl } from './hub-url';

describe('isPlainRemoteHubUrl', () => {
  it.each([
    ['ws://hub.example.org:4455', true],
    ['ws://192.168.1.20:4455', true],
    ['ws://[2001:db8::1]:4455', true],
    ['ws://127.0.0.1:4455', false],
    ['ws://127.3.4.5:4455', false],
    ['ws://localhost:4455', false],
    ['ws://[::1]:4455', false],
    ['wss://hub.example.org', false],
    ['not a url', false],
  ])('%s → %s', (url, plainRemote) => {
    expect(isPlainRemoteHubUrl(url)).toBe(plainRemote);
  });

  it('does not take a name that merely starts like loopback for loopback', () => {
    expect(isLoopbackHost('127.0.0.1.example.org')).toBe(false);
    expect(isPlainRemoteHubUrl('ws://127.0.0.1.example.org:4455')).toBe(true);
  });
});
