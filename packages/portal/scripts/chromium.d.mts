import type { BrowserContext } from 'playwright-core';

export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_FLAGS: readonly string[];
export declare function chromiumMissing(): string | null;
export declare function launchChromium(options?: {
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
}): Promise<{ context: BrowserContext; close(): Promise<void> }>;
