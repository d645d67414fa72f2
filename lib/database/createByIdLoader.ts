import DataLoader from 'dataloader';
import type { StoreOptions } from '../subgraph/SubgraphDefinition.ts';

/**
 * A per-request loader of rows by id: every `load` of one tick becomes one `fetchRows` call for
 * all the ids (one SQL statement), answered in the order asked, null where no row has the id.
 * Unbatched (ENTITY_BATCHING=false, to measure what batching buys) it makes one call per id.
 */
export function createByIdLoader<Row extends { id: string }>(
  fetchRows: (ids: string[]) => Promise<Row[]>,
  options: StoreOptions,
): DataLoader<string, Row | null> {
  return new DataLoader<string, Row | null>(
    async (ids) => {
      const found = new Map((await fetchRows([...ids])).map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    },
    options.batching ? {} : { maxBatchSize: 1, cache: false },
  );
}
