export { generateTransactions, type GenerateOptions } from './transactions.js';
export { LAYOUTS, formatOf, projectTransaction, statementBuffer, statementFile, writeStatement, type Layout, type WriteOptions } from './writers.js';
export { Rng } from './random.js';
