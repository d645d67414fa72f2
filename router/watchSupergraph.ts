import { watch } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../lib/logger.ts';
import { subgraphNames, type SubgraphName } from '../subgraphs/index.ts';
import { composeSupergraph } from './composeSupergraph.ts';

type SupergraphUpdate = (supergraphSdl: string) => void;

/**
 * For `npm run dev`: an Apollo Gateway supergraph source that composes the subgraph SDL files now
 * and again whenever one changes, so the router picks up a schema change without a restart. A
 * change that does not compose is logged and the router keeps the last good supergraph.
 */
export function watchSupergraph(urls: Record<SubgraphName, string>, log: Logger) {
  return async ({ update }: { update: SupergraphUpdate }) => {
    let timer: NodeJS.Timeout | undefined;
    const recompose = () => {
      try {
        update(composeSupergraph(urls).supergraphSdl);
        log.info('recomposed the supergraph');
      } catch (error) {
        log.error({ err: error }, 'the changed subgraph schemas do not compose; keeping the previous supergraph');
      }
    };
    // Editors often save by writing a new file and renaming it, so the folders are watched.
    const watchers = subgraphNames.map((name) =>
      watch(fileURLToPath(new URL(`../subgraphs/${name}/`, import.meta.url)), (_event, file) => {
        if (file !== 'schema.graphql') return;
        clearTimeout(timer);
        timer = setTimeout(recompose, 150);
      }),
    );
    return {
      supergraphSdl: composeSupergraph(urls).supergraphSdl,
      async cleanup() {
        clearTimeout(timer);
        for (const watcher of watchers) watcher.close();
      },
    };
  };
}
