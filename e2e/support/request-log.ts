// The platform's request log, read through the admin API: what a command really sent.
import { expect } from 'vitest';
import { IDS } from './fixtures.js';
import { TEST_CONFIG, type TestPlatform } from './test-platform.js';

export interface LoggedRequest {
  id: number;
  method: string;
  route: string | null;
  path: string;
  status: number;
}

export function requestLogOf(t: TestPlatform) {
  async function admin(path: string): Promise<any> {
    const res = await fetch(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${TEST_CONFIG.adminToken}` } });
    expect(res.status, path).toBe(200);
    return res.json();
  }
  return {
    admin,
    /** Id of the newest logged request (0 when there is none). */
    async lastRequestId(): Promise<number> {
      return ((await admin('/__admin/requests?page_size=1')).results[0]?.id as number | undefined) ?? 0;
    },
    /**
     * Requests of the Full integration logged after request `afterId`, oldest first; `query` adds filters
     * (`&route=…`).
     */
    async requestsSince(afterId: number, query = ''): Promise<LoggedRequest[]> {
      const out: LoggedRequest[] = [];
      let cursor: string | null = null;
      for (;;) {
        const page: any = await admin(
          `/__admin/requests?integration_id=${IDS.full}&page_size=100${query}${cursor ? `&start_cursor=${cursor}` : ''}`,
        );
        for (const r of page.results as LoggedRequest[]) {
          if (r.id <= afterId) return out.reverse();
          out.push(r);
        }
        if (!page.has_more) return out.reverse();
        cursor = page.next_cursor;
      }
    },
  };
}
