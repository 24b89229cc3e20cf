// One canonical form per dimension, so that '+86 138-1234-5678' on a list matches '13812345678' in an event.
// Used both when entries are written and when the engine looks a value up.

const stripSpaces = (v: string): string => v.replace(/[\s\u3000]+/g, '');

/** True when every character is an ASCII digit (the common, already-normal case: skip the regexes). */
function allDigits(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return v.length > 0;
}

function normalizePhone(v: string): string {
  if (v.length === 11 && allDigits(v)) return v;
  let s = v.replace(/[\s\u3000\-().]+/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.length === 13 && s.startsWith('86')) s = s.slice(2);
  return s;
}

const normalizers: Record<string, (v: string) => string> = {
  phone: normalizePhone,
  idNumber: (v) => stripSpaces(v).toUpperCase(),
  bankCard: (v) => (allDigits(v) ? v : v.replace(/\D+/g, '')),
  email: (v) => v.trim().toLowerCase(),
  ip: (v) => v.trim().toLowerCase(),
  deviceId: (v) => v.trim(),
  userId: (v) => v.trim(),
  address: (v) => v.trim().replace(/\s+/g, ' '),
};

/** The canonical form of `value` for a list dimension; unknown dimensions are trimmed only. */
export function normalizeValue(dimension: string, value: string): string {
  const f = normalizers[dimension];
  return f ? f(value) : value.trim();
}
