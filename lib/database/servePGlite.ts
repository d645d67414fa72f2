import { createServer, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Serves an in-process PGlite over the PostgreSQL wire protocol on loopback, so several worker
 * processes can share one embedded database through an ordinary `pg` pool.
 *
 * PGlite is a single session. Interleaving the messages of two connections would mix their
 * unnamed statements and transactions, so a connection holds the session from its first message
 * until PGlite reports ReadyForQuery "idle" (its batch ended outside a transaction). Other
 * connections wait their turn; a connection that drops mid-transaction is rolled back.
 */

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSS_REQUEST = 80877104;
const READY_FOR_QUERY = 0x5a; // 'Z'
const TERMINATE = 0x58; // 'X'
const IDLE = 0x49; // 'I'

export interface PGliteServer {
  /** A connection URL for `pg` / Prisma's pg adapter. */
  url: string;
  /** Runs `work` while holding the session, for the host's own queries. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function servePGlite(pglite: PGlite, options: { host?: string; port?: number } = {}): Promise<PGliteServer> {
  const session = new SessionLock();
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const connection = new Connection(socket, pglite, session);
    socket.on('data', (chunk) => connection.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      void connection.closed();
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `postgres://postgres@${host}:${port}/postgres?sslmode=disable`,
    exclusive: (work) => session.run(work),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/** A FIFO mutex over the PGlite session. */
class SessionLock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => released);
    return acquired;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private release: (() => void) | null = null;
  private queue: Promise<void> = Promise.resolve();
  private open = true;

  constructor(
    private readonly socket: Socket,
    private readonly pglite: PGlite,
    private readonly session: SessionLock,
  ) {}

  receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (let message = this.nextMessage(); message; message = this.nextMessage()) {
      const current = message;
      this.queue = this.queue
        .then(() => this.handle(current))
        .catch(() => {
          this.socket.destroy();
        });
    }
  }

  /** Splits off one complete message: the untyped startup packet first, then typed messages. */
  private nextMessage(): Buffer | null {
    if (!this.started) {
      if (this.buffer.length < 8) return null;
      const length = this.buffer.readInt32BE(0);
      if (this.buffer.length < length) return null;
      const message = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      return message;
    }
    if (this.buffer.length < 5) return null;
    const length = 1 + this.buffer.readInt32BE(1);
    if (this.buffer.length < length) return null;
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  private async handle(message: Buffer): Promise<void> {
    if (!this.open) return;
    if (!this.started) {
      const code = message.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSS_REQUEST) {
        this.socket.write('N');
        return;
      }
      if (code === CANCEL_REQUEST) {
        this.socket.end();
        return;
      }
      this.started = true;
    }
    if (message[0] === TERMINATE && this.started) {
      await this.rollBackAndRelease();
      this.socket.end();
      return;
    }
    this.release ??= await this.session.acquire();
    const response = await this.pglite.execProtocolRaw(new Uint8Array(message));
    if (this.open) this.socket.write(response);
    const status = lastReadyStatus(response);
    if (status === IDLE) {
      this.release();
      this.release = null;
    }
  }

  async closed(): Promise<void> {
    this.open = false;
    await this.queue;
    await this.rollBackAndRelease();
  }

  /** Gives the session back clean: whatever the connection left open is rolled back. */
  private async rollBackAndRelease(): Promise<void> {
    if (!this.release) return;
    try {
      await this.pglite.exec('ROLLBACK').catch(() => {});
    } finally {
      this.release();
      this.release = null;
    }
  }
}

/** The transaction status of the last ReadyForQuery in a response, if it has one. */
function lastReadyStatus(response: Uint8Array): number | null {
  let status: number | null = null;
  let offset = 0;
  const view = new DataView(response.buffer, response.byteOffset, response.byteLength);
  while (offset + 5 <= response.length) {
    const type = response[offset];
    const length = view.getInt32(offset + 1);
    if (type === READY_FOR_QUERY && length === 5) status = response[offset + 5] ?? null;
    offset += 1 + length;
  }
  return status;
}
