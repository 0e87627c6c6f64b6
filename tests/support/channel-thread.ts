// A worker thread serving the search channel with made-up answers: "slow" takes `slowMs`, "huge"
// answers more than the channel can carry, anything else answers at once with itself as the id.
// The channel counts as the first message handled, so the window asks with `sent` 1.
import { parentPort, workerData } from 'node:worker_threads';
import { ChannelServer, CHANNEL_PAYLOAD_BYTES } from '../../src/shared/search/channel';

const { memory, slowMs } = workerData as { memory: SharedArrayBuffer; slowMs: number };
const clock = new Int32Array(new SharedArrayBuffer(4));
new ChannelServer(
  memory,
  ({ text }) => {
    if (text === 'slow') Atomics.wait(clock, 0, 0, slowMs);
    const terms = text === 'huge' ? ['x'.repeat(CHANNEL_PAYLOAD_BYTES)] : [text];
    return { ids: [text], terms, total: 1 };
  },
  (id, answer) => parentPort!.postMessage({ id, answer }),
);
// A number keeps the thread busy for that many milliseconds, once it has said 'busy'. Listening
// also keeps the thread alive, as the app's worker is kept by its message handler: a pending
// Atomics.waitAsync does not.
parentPort!.on('message', (ms: number) => {
  parentPort!.postMessage('busy');
  Atomics.wait(clock, 0, 0, ms);
});
parentPort!.postMessage('ready');
