// `notion-local clone`'s toolkit half: crawl what a token can see into a clone bundle (no server code here).
export { bundleSize, emptyBundle, type ApiObject, type CloneBundle, type Unreadable } from './bundle.js';
export { CloneReader, CloneReadError, type ReaderStats, type RequestFn } from './reader.js';
export { fetchTransport } from './transport.js';
export { crawl, type CrawlOptions } from './crawl.js';
export { fakeText, redactBundle } from './redact.js';
export { cloneProgress, type CloneProgress } from './progress.js';
