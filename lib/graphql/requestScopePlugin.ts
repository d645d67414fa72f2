import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { requestScope } from '../requestScope.ts';

/** Copies the operation name and error codes into the request's scope, for its log line. */
export const requestScopePlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ operationName, response }) {
        const scope = requestScope.getStore();
        if (!scope) return;
        if (operationName) scope.operationName = operationName;
        if (response.body.kind !== 'single') return;
        for (const error of response.body.singleResult.errors ?? []) {
          const code = error.extensions?.['code'];
          if (typeof code === 'string') scope.errorCodes.push(code);
        }
      },
    };
  },
};
