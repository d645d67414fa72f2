import type { Viewer } from '../lib/auth/Viewer.ts';

/** What the router knows about a request: its id and the member its token names. */
export interface RouterContext {
  requestId: string;
  viewer: Viewer | null;
}
