import type { IncomingMessage } from 'node:http';
import { HttpError } from './HttpError.ts';

/** Reads the whole body as UTF-8, refusing (413) as soon as it passes `maxBytes`. */
export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, 'BAD_REQUEST', `The request body is larger than ${maxBytes} bytes.`);
}
