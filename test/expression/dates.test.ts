// Dates: the injected clock, IANA time zones (DST), calendar arithmetic, legacy second-based functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, evaluateExpression as ev, ZenDate } from '../../src/expression/index.js';

const now = '2025-08-19T16:55:02.078Z';

test('d() without arguments reads the injected clock', () => {
  assert.equal(ev('d()', {}, { now }), '2025-08-19T16:55:02Z');
  assert.equal(ev('d().timestamp()', {}, { now: new Date(now) }), Date.parse(now));
  assert.equal(ev('date()', {}, { now: Date.parse(now) }), 1755622502);
  assert.equal(ev("d('2025-08-19 10:00').isToday()", {}, { now }), true);
  assert.equal(ev("d('2025-08-18').isYesterday()", {}, { now }), true);
  assert.equal(ev("d('2025-08-20').isTomorrow()", {}, { now }), true);
  // Compiled expressions take the clock per evaluation.
  const c = compileExpression('d().day()');
  assert.equal(c.evaluate({}, undefined, { now: Date.parse('2024-02-29T12:00:00Z') }), 29);
  assert.equal(c.evaluate({}, undefined, { now: Date.parse('2024-03-01T12:00:00Z') }), 1);
});

test('time zones: parsing, conversion and daylight saving', () => {
  assert.equal(ev("d('2023-10-15 14:30', 'Asia/Shanghai')", {}), '2023-10-15T14:30:00+08:00');
  assert.equal(ev("d('2023-10-15T06:30:00Z').tz('Asia/Shanghai').hour()", {}), 14);
  // Europe/Berlin switches to summer time on 2023-03-26 at 02:00.
  assert.equal(ev("d('2023-03-26 01:30', 'Europe/Berlin').add(1, 'h')", {}), '2023-03-26T03:30:00+02:00');
  // A day is 24 hours, as in ZEN: across the switch the wall clock moves to 13:00.
  assert.equal(ev("d('2023-03-25 12:00', 'Europe/Berlin').add('1d')", {}), '2023-03-26T13:00:00+02:00');
  assert.equal(ev("d('2023-01-31').set('month', 2).isValid()", {}), false);
  assert.equal(ev("d('2023-03-26 12:00', 'Europe/Berlin').startOf('day')", {}), '2023-03-26T00:00:00+01:00');
  assert.equal(ev("d('2023-10-15T12:00:00+05:30').hour()", {}), 12);
});

test('unknown time zones are errors', () => {
  assert.throws(() => ev("d('2023-10-15', 'Not/AZone')", {}), /Unknown time zone 'Not\/AZone'/);
  assert.throws(() => ev("d('2023-10-15').tz('Mars/Base')", {}), /Unknown time zone/);
});

test('calendar arithmetic clamps month ends and reads durations', () => {
  assert.equal(ev("d('2024-01-31').add(1, 'M')", {}), '2024-02-29T00:00:00Z');
  assert.equal(ev("d('2024-02-29').add(1, 'y')", {}), '2025-02-28T00:00:00Z');
  assert.equal(ev("d('2023-10-15').add('1w 2d 3h 4m 5s')", {}), '2023-10-24T03:04:05Z');
  assert.equal(ev("d('2023-10-15').sub(1, 'quarter')", {}), '2023-07-15T00:00:00Z');
  assert.equal(ev("d('2023-10-15').endOf('month').day()", {}), 31);
  assert.equal(ev("d('2023-10-18').week()", {}), 42);
  assert.equal(ev("d('2023-10-15T14:05:09Z').format('%d/%m/%y %I:%M %p %a %b %z')", {}), '15/10/23 02:05 PM Sun Oct +0000');
  assert.throws(() => ev("d('2023-10-15').add('soon')", {}), /Invalid duration 'soon'/);
  assert.throws(() => ev("d('2023-10-15').add(1, 'fortnight')", {}), /Unknown date unit 'fortnight'/);
});

test('invalid dates are values, not crashes', () => {
  assert.equal(ev("d('not a date').isValid()", {}), false);
  assert.equal(ev("d('2023-02-29').isValid()", {}), false);
  assert.equal(ev("d('2023-02-29')", {}), 'Invalid date'); // as ZEN prints it
  assert.equal(ev("d(missing).isValid()", {}), false);
  assert.equal(ev("d(null).year()", {}), null);
});

test('legacy date functions work in UTC epoch seconds', () => {
  assert.equal(ev("date('2023-10-15') + duration('1d')", {}), 1697414400);
  assert.equal(ev("dayOfWeek('2023-10-15')", {}), 7);
  assert.equal(ev("monthString('2023-10-15')", {}), 'Oct');
  assert.equal(ev("dateString(startOf('2023-10-18 10:00:00', 'w'))", {}), '2023-10-16 00:00:00');
  assert.equal(ev("time('10:30')", {}), 37800);
  assert.throws(() => ev("date('yesterday-ish')", {}), /Invalid date 'yesterday-ish'/);
});

test('compiled results keep date values; evaluateExpression returns ISO text', () => {
  const v = compileExpression("d('2023-10-15')").evaluate({});
  assert.ok(v instanceof ZenDate);
  assert.equal(JSON.stringify({ v }), '{"v":"2023-10-15T00:00:00Z"}');
  assert.deepEqual(ev("{at: d('2023-10-15'), list: [d('2023-10-16')]}", {}), { at: '2023-10-15T00:00:00Z', list: ['2023-10-16T00:00:00Z'] });
});

test("date('now') and d('now') read the evaluation clock, not the system clock", () => {
  const now = Date.parse('2025-08-19T16:55:02Z');
  assert.equal(ev("date('now')", {}, { now }), Math.floor(now / 1000));
  assert.equal(ev("date('now') - date('2025-08-18T16:55:02Z') > 86000", {}, { now }), true);
  assert.equal(ev("d('now')", {}, { now }), '2025-08-19T16:55:02Z');
  assert.equal(ev("d('now', 'Asia/Shanghai').hour()", {}, { now }), 0);
});
