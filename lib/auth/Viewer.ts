/** Who is asking: the member a verified token names, as the router passes it to the subgraphs. */
export interface Viewer {
  memberId: string;
  role: Role;
}

export type Role = 'CUSTOMER' | 'ADMIN';

export function isRole(value: unknown): value is Role {
  return value === 'CUSTOMER' || value === 'ADMIN';
}
