export default async function globalTeardown() {
  await globalThis.notionLocal?.close();
}
