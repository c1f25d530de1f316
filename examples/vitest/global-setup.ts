// Starts notion-local once for the whole run (in the main vitest process) and hands its address and admin
// token to the test files, which may run in several workers.
import type { TestProject } from 'vitest/node';
import { startNotionLocal } from 'notion-local/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    notionLocal: { NOTION_LOCAL_URL: string; NOTION_LOCAL_ADMIN_TOKEN: string };
  }
}

export default async function setup(project: TestProject) {
  const nl = await startNotionLocal({ seed: null });
  project.provide('notionLocal', nl.env);
  return () => nl.close();
}
