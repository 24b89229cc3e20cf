// Personal data in reports: the holder, personal counterparties and account numbers are masked (src/core/mask.ts).
import { maskBankCard, maskEmail, maskGeneric, maskPhone } from '../core/mask.js';

const ORG = /公司|店|银行|超市|平台|集团|中心|商户|医院|学校|基金|科技|支付|网络|金融|借|呗|贷|美团|滴滴|京东|拼多多|腾讯|抖音|中国|国家|局|厅|会|院|馆|所/;

/** Person-like names (2–4 Chinese characters, no organisation word) are masked; merchants stay readable. */
export function maskCounterparty(name: string): string {
  if (!name) return name;
  if (/^[\u4e00-\u9fa5·]{2,5}$/.test(name) && !ORG.test(name)) return maskGeneric(name);
  if (/^1\d{10}$/.test(name)) return maskPhone(name);
  return name;
}

/** 对方账号: phone, email or card number, masked by kind; already-masked values (with *) are kept. */
export function maskAccount(v: string): string {
  if (!v || v.includes('*')) return v;
  if (v.includes('@')) return maskEmail(v);
  const digits = v.replace(/\D/g, '');
  if (/^1\d{10}$/.test(digits)) return maskPhone(digits);
  if (digits.length >= 12) return maskBankCard(digits);
  return maskGeneric(v);
}

/** Card tails like 交通银行信用卡(7449) are already partial; full numbers inside methods are masked. */
export function maskMethod(v: string): string {
  return v.replace(/\d{12,19}/g, (d) => maskBankCard(d));
}
