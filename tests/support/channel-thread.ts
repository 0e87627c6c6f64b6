// A worker thread serving the search channel with made-up answers: "slow" is answered only once the
// test opens the gate, "huge" answers more than the channel can carry, anything else answers at
// once with itself as the id. The channel counts as the first message handled, so the window asks
// with `sent` 1.
import { parentPort, workerData } from 'node:worker_threads';
import { ChannelServer, CHANNEL_PAYLOAD_BYTES } from '../../src/shared/search/channel';

const { memory, gate } = workerData as { memory: SharedArrayBuffer; gate: SharedArrayBuffer };
const opened = new Int32Array(gate);
/** Blocks the thread until the test opens the gate (sets it to 1); no clock involved. */
const waitForGate = () => Atomics.wait(opened, 0, 0);

new ChannelServer(
  memory,
  ({ text }) => {
    if (text === 'slow') waitForGate();
    const terms = text === 'huge' ? ['x'.repeat(CHANNEL_PAYLOAD_BYTES)] : [text];
    return { ids: [text], terms, total: 1 };
  },
  (id, answer) => parentPort!.postMessage({ id, answer }),
);
// 'hold' keeps the thread busy until the gate opens, once it has said 'busy'. Listening also keeps
// the thread alive, as the app's worker is kept by its message handler: a pending
// Atomics.waitAsync does not.
parentPort!.on('message', (message: 'hold') => {
  if (message !== 'hold') return;
  parentPort!.postMessage('busy');
  waitForGate();
});
parentPort!.postMessage('ready');
