import type { CompileDecisionOptions, ListLookup, ModelHost } from '../decision/types.js';

// Offline, name lists are empty and no model is registered: list nodes find nothing, and a model node fails
// its case with a clear message rather than rejecting the whole file.
const noLists: ListLookup = { lookup: () => [] };
const noModels: ModelHost = {
  predict(modelId) {
    throw new Error(`model '${modelId}' is not available offline (离线测试无法调用模型)`);
  },
};

/** Hosts for `xiezhi test` and `xiezhi eval`, which run decision files without a database. */
export const offlineHosts: CompileDecisionOptions = { lists: noLists, models: noModels };
