import { XRPCError } from '@atproto/api';
import { describe, expect, it } from 'vitest';
import { classify, DEFAULT_RETRY, rateLimitWait, withRetry } from './retry';

describe('retry policy', () => {
  it('reads RateLimit-Reset (epoch seconds) before Retry-After', () => {
    expect(rateLimitWait({ 'RateLimit-Reset': '1010' }, 1_000_000)).toBe(10_000);
    expect(rateLimitWait({ 'retry-after': '3' }, 0)).toBe(3_000);
    expect(rateLimitWait({}, 0)).toBeNull();
  });

  it('sorts failures into rate limits, transient, auth and final', () => {
    expect(
      classify(new XRPCError(429, 'RateLimitExceeded', 'x', { 'ratelimit-reset': '2' }), 1_000),
    ).toEqual({ kind: 'rate-limited', waitMs: 1_000 });
    expect(classify(new XRPCError(502), 0).kind).toBe('transient');
    expect(classify(new XRPCError(400, 'ExpiredToken'), 0).kind).toBe('auth');
    expect(classify(new XRPCError(400, 'InvalidRequest'), 0).kind).toBe('final');
    expect(classify(new TypeError('fetch failed'), 0).kind).toBe('transient');
  });

  it('gives up after the allowed attempts with a message that says so', async () => {
    let calls = 0;
    const policy = { ...DEFAULT_RETRY, attempts: 3, sleep: async () => undefined };
    const failing = () => {
      calls++;
      return Promise.reject(new XRPCError(503, 'NotEnoughResources', 'busy'));
    };
    await expect(withRetry('Posting', failing, policy, async () => undefined)).rejects.toThrow(
      'Posting failed 3 times (busy); try again later.',
    );
    expect(calls).toBe(3);
  });
});
