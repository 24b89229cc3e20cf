// Personal data is masked in logs, traces and the UI by default (ARCHITECTURE.md, Conventions).

/** 13812345678 → 138****5678 */
export function maskPhone(v: string): string {
  if (v.length <= 7) return v.length <= 2 ? '*'.repeat(v.length) : v.slice(0, 1) + '*'.repeat(v.length - 2) + v.slice(-1);
  return v.slice(0, 3) + '****' + v.slice(-4);
}

/** 110101199003071234 → 110***********1234 */
export function maskIdNumber(v: string): string {
  if (v.length <= 8) return '*'.repeat(v.length);
  return v.slice(0, 3) + '*'.repeat(v.length - 7) + v.slice(-4);
}

/** 6222021234567890123 → 6222 **** **** 0123 style, kept compact: 622202*********0123 */
export function maskBankCard(v: string): string {
  const digits = v.replace(/\s+/g, '');
  if (digits.length <= 8) return '*'.repeat(digits.length);
  return digits.slice(0, 6) + '*'.repeat(digits.length - 10) + digits.slice(-4);
}

/** zhang.san@example.com → z*******@example.com */
export function maskEmail(v: string): string {
  const at = v.indexOf('@');
  if (at <= 0) return maskGeneric(v);
  return v[0] + '*'.repeat(Math.max(at - 1, 1)) + v.slice(at);
}

/** Names, addresses and other free text: keep the first character. 张三丰 → 张** */
export function maskGeneric(v: string): string {
  const chars = Array.from(v);
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

const maskers: Record<string, (v: string) => string> = {
  phone: maskPhone,
  mobile: maskPhone,
  idNumber: maskIdNumber,
  idCard: maskIdNumber,
  bankCard: maskBankCard,
  cardNumber: maskBankCard,
  email: maskEmail,
  name: maskGeneric,
  address: maskGeneric,
};

/** True when values under this key are personal data that must be masked. */
export function isPersonalField(key: string): boolean {
  return key in maskers;
}

/** Masks one value by the kind of field it is (phone, idNumber, bankCard, email, name, address). */
export function maskField(key: string, value: string): string {
  const m = maskers[key];
  return m ? m(value) : value;
}

/** Deep copy with every personal field masked; other values untouched. */
export function maskPersonalData<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => maskPersonalData(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = typeof v === 'string' && isPersonalField(k) ? maskField(k, v) : maskPersonalData(v);
    }
    return out as T;
  }
  return value;
}
