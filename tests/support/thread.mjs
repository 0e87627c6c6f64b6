// Starts a TypeScript module (workerData.entry) in a Node worker thread, compiled by tsx.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
