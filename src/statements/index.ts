// Statement (流水) analysis: parsers, classification, indicators, risk and reports.
export type * from './types.js';
export { StatementError, isStatementError, type StatementErrorCode } from './errors.js';
export { readStatement, type StatementInput, type ParsedFileInfo, type ReadOptions } from './read.js';
export { parsers, registerParser, detectParser, parserFor } from './parsers/registry.js';
export { tabularParser, type LayoutSpec, type ColumnKey } from './parsers/tabular.js';
export { Classifier, loadKeywordTables, CATEGORY_LABELS, type Category, type KeywordTables } from './classify.js';
export { IndicatorState, type Indicators } from './indicators.js';
export { statementFeatures, type StatementFeatures } from './features.js';
export { evaluateRisk, defaultRiskStrategy, type RiskResult, type RiskReason } from './risk.js';
export { analyzeStatements, type AnalyzeOptions, type StatementReport, type FileReport } from './analyze.js';
export { renderReportHtml } from './report/html.js';
export { renderPdf, renderPng, findChromium } from './report/pdf.js';
export { parseFen, fenToYuan, formatYuan } from './money.js';
export { statementRoutes, MemoryStatementStore, type StatementStore, type StatementRoutesOptions, type StatementScope, type StatementSubject } from './http.js';
export * as generate from './generate/index.js';
