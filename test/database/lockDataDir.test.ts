import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../lib/database/lockDataDir.ts';

describe('lockDataDir', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'shop-lock-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('claims a folder and releases it', () => {
    const release = lockDataDir(folder);
    expect(existsSync(join(folder, '.shop.lock'))).toBe(true);
    release();
    expect(existsSync(join(folder, '.shop.lock'))).toBe(false);
  });

  it('refuses a folder another running process holds', async () => {
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(join(folder, '.shop.lock'), String(holder.pid));
      expect(() => lockDataDir(folder)).toThrow(`in use by process ${holder.pid}`);
    } finally {
      holder.kill();
    }
  });

  it('takes over a claim left by a process that has exited', async () => {
    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(join(folder, '.shop.lock'), String(gone.pid));
    expect(() => lockDataDir(folder)()).not.toThrow();
  });
});
