// Synthetic but realistic demo traffic: applicants with their devices, IPs, phones and cards, registering,
// logging in, applying for loans, drawing down, paying and repaying — plus planted fraud rings whose members
// share devices and phones across identities and mostly default. Deterministic for a given seed, so the
// dashboard, graph and backtests show the same truth every time.
import type { RiskEvent } from '../core/event.js';
import { seededRandom } from '../core/random.js';

export interface DemoOptions {
  /** Normal applicants (default 300). */
  applicants?: number;
  /** Fraud rings (default 3), each of `ringSize` members (default 8). */
  rings?: number;
  ringSize?: number;
  /** Events are spread over the `days` before `endAt` (default 7 days before now). */
  days?: number;
  endAt?: number;
  seed?: number;
  /** Prefix of event ids, so several runs do not collide (default 'demo'). */
  idPrefix?: string;
}

export interface DemoLabel {
  eventId: string;
  label: 'default' | 'fraud' | 'good';
  observedAt: number;
}

export interface DemoData {
  events: RiskEvent[];
  labels: DemoLabel[];
  /** Ground truth, for checks: userIds per ring. */
  rings: string[][];
}

const rng = seededRandom;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平'];
const CITIES = [
  { code: '110101', name: '北京市东城区', ip: '123.112' },
  { code: '310104', name: '上海市徐汇区', ip: '101.226' },
  { code: '440305', name: '深圳市南山区', ip: '113.116' },
  { code: '330106', name: '杭州市西湖区', ip: '115.236' },
  { code: '510107', name: '成都市武侯区', ip: '118.113' },
  { code: '420106', name: '武汉市武昌区', ip: '59.172' },
];
const MERCHANTS = ['超市', '外卖', '电商', '加油站', '话费充值', '游戏充值', '教育培训', '医院'];
const PHONE_PREFIXES = ['138', '139', '135', '136', '150', '151', '186', '187', '177', '199'];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function generateDemo(opts: DemoOptions = {}): DemoData {
  const r = rng(opts.seed ?? 20261124);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join('');
  const endAt = opts.endAt ?? Date.now();
  const span = (opts.days ?? 7) * 86400_000;
  const startAt = endAt - span;
  const prefix = opts.idPrefix ?? 'demo';
  let seq = 0;
  const nextId = (kind: string) => `${prefix}-${kind}-${String(++seq).padStart(6, '0')}`;
  const phone = () => pick(PHONE_PREFIXES) + digits(8);
  const idNumber = (cityCode: string, age: number) => {
    const y = new Date(endAt).getUTCFullYear() - age;
    const body = cityCode + y + String(int(1, 12)).padStart(2, '0') + String(int(1, 28)).padStart(2, '0') + digits(3);
    const sum = body.split('').reduce((s, c, i) => s + Number(c) * ID_WEIGHTS[i]!, 0);
    return body + ID_CHECK[sum % 11];
  };
  const card = () => '622202' + digits(13);
  const device = () => 'dev-' + digits(4) + '-' + Math.floor(r() * 0xffffff).toString(16).padStart(6, '0');

  interface Person {
    userId: string;
    name: string;
    phone: string;
    idNumber: string;
    bankCard: string;
    deviceId: string;
    ip: string;
    city: (typeof CITIES)[number];
    age: number;
    income: number;
    ring?: number;
    badRisk: number;
  }
  const people: Person[] = [];
  const n = opts.applicants ?? 300;
  for (let i = 0; i < n; i++) {
    const city = pick(CITIES);
    const age = int(20, 58);
    people.push({
      userId: `u${String(i + 1).padStart(5, '0')}`,
      name: pick(SURNAMES) + pick(GIVEN),
      phone: phone(),
      idNumber: idNumber(city.code, age),
      bankCard: card(),
      deviceId: device(),
      ip: `${city.ip}.${int(1, 254)}.${int(1, 254)}`,
      city,
      age,
      income: int(3, 30) * 1000_00,
      badRisk: 0.04 + (age < 23 ? 0.05 : 0),
    });
  }
  const rings: string[][] = [];
  for (let g = 0; g < (opts.rings ?? 3); g++) {
    // A ring: several identities (real-looking, distinct ID numbers) operated from a few shared devices,
    // shared phones and one IP block, applying within a few hours of each other.
    const sharedDevices = [device(), device()];
    const sharedPhones = [phone(), phone(), phone()];
    const city = pick(CITIES);
    const ipBlock = `${city.ip}.${int(1, 254)}`;
    const members: string[] = [];
    for (let m = 0; m < (opts.ringSize ?? 8); m++) {
      const age = int(19, 26);
      const p: Person = {
        userId: `r${g + 1}u${String(m + 1).padStart(3, '0')}`,
        name: pick(SURNAMES) + pick(GIVEN),
        phone: sharedPhones[m % sharedPhones.length]!,
        idNumber: idNumber(pick(CITIES).code, age),
        bankCard: card(),
        deviceId: sharedDevices[m % sharedDevices.length]!,
        ip: `${ipBlock}.${int(1, 254)}`,
        city,
        age,
        income: int(8, 20) * 1000_00,
        ring: g + 1,
        badRisk: 0.85,
      };
      people.push(p);
      members.push(p.userId);
    }
    rings.push(members);
  }

  const events: RiskEvent[] = [];
  const labels: DemoLabel[] = [];
  for (const p of people) {
    // Ring members all show up late in the window, close together (a burst).
    const t0 = p.ring ? endAt - span * 0.3 + p.ring * 3600_000 + r() * 4 * 3600_000 : startAt + r() * span * 0.6;
    let t = t0;
    const subject = { userId: p.userId, phone: p.phone, idNumber: p.idNumber, deviceId: p.deviceId, ip: p.ip };
    events.push({ id: nextId('reg'), type: 'register', occurredAt: Math.round(t), subject: { ...subject }, data: { channel: pick(['app', 'h5', 'mini_program']), name: p.name, age: p.age, city: p.city.name } });
    const logins = p.ring ? 1 : int(1, 4);
    for (let i = 0; i < logins; i++) {
      t += r() * 3600_000 * (p.ring ? 0.2 : 8);
      events.push({ id: nextId('login'), type: 'login', occurredAt: Math.round(t), subject: { userId: p.userId, deviceId: p.deviceId, ip: p.ip }, data: { success: r() > 0.05, method: pick(['password', 'sms']) } });
    }
    t += r() * 3600_000 * (p.ring ? 0.5 : 12);
    const amount = p.ring ? int(30, 50) * 1000_00 : int(2, 30) * 1000_00;
    const appId = nextId('loan');
    events.push({
      id: appId,
      type: 'loan_application',
      occurredAt: Math.round(t),
      subject: { ...subject, bankCard: p.bankCard },
      data: {
        amount,
        term: pick([3, 6, 12, 24]),
        income: p.income,
        age: p.age,
        purpose: pick(['消费', '装修', '教育', '旅游', '经营']),
        product: pick(['小贷', '消费金融']),
        creditInquiries30d: p.ring ? int(6, 15) : int(0, 4),
        existingLoans: p.ring ? int(3, 8) : int(0, 2),
      },
    });
    const drawdown = amount * (p.ring ? 1 : 0.5 + r() * 0.5);
    t += r() * 3600_000 * 6;
    events.push({ id: nextId('draw'), type: 'drawdown', occurredAt: Math.round(t), subject: { userId: p.userId, deviceId: p.deviceId, ip: p.ip, bankCard: p.bankCard }, data: { amount: Math.round(drawdown), loanId: appId } });
    const payments = p.ring ? int(0, 1) : int(1, 5);
    for (let i = 0; i < payments; i++) {
      t += r() * 3600_000 * 10;
      const type = r() < 0.8 ? 'payment' : 'transfer';
      events.push({
        id: nextId(type === 'payment' ? 'pay' : 'xfer'),
        type,
        occurredAt: Math.round(t),
        subject: { userId: p.userId, deviceId: p.deviceId, ip: p.ip, bankCard: p.bankCard },
        data: type === 'payment' ? { amount: int(10, 2000) * 100, merchant: pick(MERCHANTS), currency: 'CNY' } : { amount: int(100, 5000) * 100, toAccount: card(), currency: 'CNY' },
      });
    }
    const defaulted = r() < p.badRisk;
    if (!defaulted) {
      t += r() * 3600_000 * 24;
      events.push({ id: nextId('repay'), type: 'repayment', occurredAt: Math.round(Math.min(t, endAt - 1)), subject: { userId: p.userId, bankCard: p.bankCard }, data: { amount: Math.round(drawdown / 6), loanId: appId, overdueDays: r() < 0.1 ? int(1, 15) : 0 } });
    }
    labels.push({ eventId: appId, label: defaulted ? (p.ring ? 'fraud' : 'default') : 'good', observedAt: Math.min(Math.round(t + 86400_000), endAt) });
  }
  events.sort((a, b) => a.occurredAt - b.occurredAt);
  for (const e of events) if (e.occurredAt > endAt) e.occurredAt = endAt;
  return { events, labels, rings };
}
