import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are stored only as scrypt hashes (`scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`), so the
 * parameters can be raised later without invalidating stored hashes.
 */

const LOG2_COST = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, LOG2_COST, BLOCK_SIZE, PARALLELISM);
  return ['scrypt', LOG2_COST, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logCost, blockSize, parallelism, salt, expected] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || expected === undefined) return false;
  const expectedKey = Buffer.from(expected, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), Number(logCost), Number(blockSize), Number(parallelism));
  return key.length === expectedKey.length && timingSafeEqual(key, expectedKey);
}

/** Verified against when a username is unknown, so a wrong username costs as long as a wrong password. */
export const UNKNOWN_MEMBER_HASH = 'scrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

function derive(password: string, salt: Buffer, logCost: number, blockSize: number, parallelism: number) {
  const options: ScryptOptions = {
    N: 2 ** logCost,
    r: blockSize,
    p: parallelism,
    maxmem: 256 * 2 ** logCost * blockSize,
  };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}
