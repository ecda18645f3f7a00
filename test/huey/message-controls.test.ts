// The job-control fields of a queue message (docs/message-format.md): written
// only when used, read back, and refused with a clear error when malformed.
import { describe, expect, it } from 'vitest';
import { QueueException, QueueTask, decodeMessage, defaultSerializer, encodeMessage } from '../../src/huey/index.js';

describe('message job-control fields', () => {
  it("a plain task's message has none of them", () => {
    const raw = encodeMessage(new QueueTask({ id: 'a', name: 'add', args: [1] }), defaultSerializer);
    expect(JSON.parse(raw)).toEqual({ v: 1, id: 'a', name: 'add', args: [1], eta: null, retries: 0, retryDelay: 0, onComplete: null });
  });

  it('round-trips priority, timeout, expires, retried and unique', () => {
    const task = new QueueTask({ id: 'b', name: 'add', priority: -3, timeout: 2.5, expires: new Date(1_700_000_000_000), retried: 2, unique: 'add:[1]' });
    const back = decodeMessage(encodeMessage(task, defaultSerializer), defaultSerializer);
    expect([back.priority, back.timeout, back.expires?.getTime(), back.retried, back.unique]).toEqual([-3, 2.5, 1_700_000_000_000, 2, 'add:[1]']);
  });

  it('refuses malformed fields, saying which', () => {
    const bad = (extra: object) => () => decodeMessage(JSON.stringify({ v: 1, id: 'c', name: 'add', ...extra }), defaultSerializer);
    expect(bad({ priority: 1.5 })).toThrow(new QueueException('invalid message: "priority" must be an integer'));
    expect(bad({ timeout: 0 })).toThrow(/"timeout" must be a positive number of seconds/);
    expect(bad({ expires: 'soon' })).toThrow(/"expires" must be milliseconds since the epoch/);
    expect(bad({ retried: -1 })).toThrow(/"retried" must be a non-negative integer/);
    expect(bad({ unique: '' })).toThrow(/"unique" must be a non-empty string/);
  });
});
