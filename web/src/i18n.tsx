// zh-CN / en. Texts are written as pairs at the point of use — tr('Publish', '发布') — so a string can never
// exist in one language only. The language defaults from the browser and is remembered in localStorage.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';

export type Lang = 'zh-CN' | 'en';
const LANG_KEY = 'xiezhi.lang';

export function defaultLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  const nav = (navigator.languages?.[0] ?? navigator.language ?? 'en').toLowerCase();
  return nav.startsWith('zh') ? 'zh-CN' : 'en';
}

export interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  /** Picks the text for the current language. */
  tr(en: string, zh: string): string;
}

const Ctx = createContext<I18n>({ lang: 'en', setLang: () => {}, tr: (en) => en });

/** antd's date pickers take month and weekday names from dayjs' global locale. */
function applyLang(l: Lang): void {
  dayjs.locale(l === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = l;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = defaultLang();
    applyLang(l);
    return l;
  });
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang(l) {
        localStorage.setItem(LANG_KEY, l);
        applyLang(l);
        setLangState(l);
      },
      tr: lang === 'zh-CN' ? (_en, zh) => zh : (en) => en,
    }),
    [lang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}

/** Localised labels for values the API returns (decisions, list kinds, …). */
export function decisionLabel(tr: I18n['tr'], d: string | undefined): string {
  switch (d) {
    case 'approve':
      return tr('Approve', '通过');
    case 'review':
      return tr('Review', '人工审核');
    case 'reject':
      return tr('Reject', '拒绝');
    default:
      return d ?? '-';
  }
}

export const decisionColor: Record<string, string> = { approve: 'green', review: 'gold', reject: 'red' };

/** Model types as the registry names them. */
export function modelTypeLabel(tr: I18n['tr'], t: string | undefined): string {
  switch (t) {
    case 'scorecard':
      return tr('Scorecard', '评分卡');
    case 'ensemble':
    case 'gbdt':
      return tr('GBDT', '梯度提升树');
    case 'pmml-scorecard':
      return tr('PMML scorecard', 'PMML 评分卡');
    case 'regression':
      return tr('Regression', '回归模型');
    default:
      return t ?? '-';
  }
}

/** Stages of a training job (GET /v1/model-jobs/:id). */
export function trainingStageLabel(tr: I18n['tr'], stage: string): string {
  const labels: Record<string, [string, string]> = {
    reading: ['Reading the file', '读取文件'],
    accepted: ['File checked', '文件已校验'],
    split: ['Splitting train/test', '划分训练/测试集'],
    binning: ['Binning variables', '变量分箱'],
    fitting: ['Selecting and fitting', '变量筛选与拟合'],
    boosting: ['Growing trees', '训练树模型'],
    evaluating: ['Scoring', '打分评估'],
    report: ['Computing curves', '计算曲线'],
    registering: ['Registering the version', '登记模型版本'],
    done: ['Done', '完成'],
    failed: ['Failed', '失败'],
    cancelled: ['Cancelled', '已取消'],
  };
  const l = labels[stage];
  return l ? tr(l[0], l[1]) : stage;
}
