// moto in server mode on 127.0.0.1: the stricter local backend for DynamoDB, SQS, Secrets Manager and EventBridge.
// Needs Python with `moto[server]` installed; `motoServerPath` says where its `moto_server` executable is.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { delay, type LocalEndpoint } from './local-server';

export interface MotoServerOptions {
  /** Path of the `moto_server` executable. @default - `MOTO_SERVER` env var, else `.venv/bin/moto_server` */
  readonly motoServerPath?: string;
  /** How long to wait for it to answer. @default 30000 */
  readonly startTimeoutMs?: number;
}

/** Starts moto_server on a free loopback port and resolves once it answers HTTP. */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<LocalEndpoint> {
  const bin = options.motoServerPath ?? process.env.MOTO_SERVER ?? '.venv/bin/moto_server';
  const port = await freePort();
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + String(d)).slice(-4000); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', (err) => { stderr += String(err); });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto_server (${bin}) exited before answering: ${stderr.trim() || 'no output'}. Install moto in a virtual environment `
        + "(python3 -m venv .venv && .venv/bin/pip install 'moto[server]==5.2.*'), or point MOTO_SERVER (or motoServerPath) at your moto_server.");
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within the timeout: ${stderr.trim()}`);
    }
    await delay(100);
  }
  return {
    endpoint,
    port,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, delay(5000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}

/** Resets every moto backend (all tables, queues and secrets), so each test starts empty. */
export async function resetMotoServer(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
