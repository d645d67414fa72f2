import { PrismaClientKnownRequestError } from '@prisma/client/runtime/client';

/** A unique index refused the write (Prisma P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof PrismaClientKnownRequestError && error.code === 'P2002';
}

/** An update or delete found no row to act on (Prisma P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof PrismaClientKnownRequestError && error.code === 'P2025';
}
