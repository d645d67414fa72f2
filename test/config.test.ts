import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, subgraphUrls } from '../lib/config.ts';

describe('loadConfig', () => {
  it('defaults to the router on 4000 and the subgraphs on 4001–4003 with embedded databases', () => {
    const config = loadConfig({});
    expect(config.environment).toBe('development');
    expect(config.router).toEqual({ port: 4000, url: 'http://127.0.0.1:4000/' });
    expect(subgraphUrls(config)).toEqual({
      members: 'http://127.0.0.1:4001/graphql',
      products: 'http://127.0.0.1:4002/graphql',
      purchases: 'http://127.0.0.1:4003/graphql',
    });
    expect(config.subgraphs.members.database).toEqual({ kind: 'embedded', dataDir: expect.stringMatching(/\.data\/members$/) });
    expect(config.seedOnStart).toBe(true);
  });

  it('takes ports, URLs and databases per subgraph from prefixed variables', () => {
    const config = loadConfig({
      PRODUCTS_PORT: '5002',
      MEMBERS_URL: 'http://members.internal:80/graphql',
      PURCHASES_DATABASE_URL: 'postgresql://shop@db:5432/purchases',
      MEMBERS_DATABASE_URL: 'pglite:memory',
    });
    expect(config.subgraphs.products.url).toBe('http://127.0.0.1:5002/graphql');
    expect(config.subgraphs.members.url).toBe('http://members.internal:80/graphql');
    expect(config.subgraphs.purchases.database).toEqual({ kind: 'postgres', url: 'postgresql://shop@db:5432/purchases' });
    expect(config.subgraphs.members.database).toEqual({ kind: 'embedded', dataDir: null });
  });

  it('reports every invalid variable at once, without echoing credentials', () => {
    let error: unknown;
    try {
      loadConfig({ ROUTER_PORT: 'http', WORKERS: '0', MEMBERS_DATABASE_URL: 'mysql://root:hunter2@db/shop', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('ROUTER_PORT must be an integer from 0 to 65535; got "http"');
    expect(message).toContain('WORKERS must be an integer from 1 to 64');
    expect(message).toContain('MEMBERS_DATABASE_URL must start with postgres://');
    expect(message).toContain('LOG_LEVEL must be one of');
    expect(message).not.toContain('hunter2');
  });

  it('requires real secrets in production and keeps development defaults out of it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_TOKEN_SECRET is required in production[\s\S]*SUBGRAPH_SECRET is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_TOKEN_SECRET: 'short', SUBGRAPH_SECRET: 'x'.repeat(40) })).toThrow(
      'AUTH_TOKEN_SECRET must be at least 32 characters',
    );
    const production = loadConfig({ NODE_ENV: 'production', AUTH_TOKEN_SECRET: 'a'.repeat(40), SUBGRAPH_SECRET: 'b'.repeat(40) });
    expect(production.migrateOnStart).toBe(false);
    expect(production.seedOnStart).toBe(false);
  });
});
